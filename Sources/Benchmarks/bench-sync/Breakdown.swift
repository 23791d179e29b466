import LeadSyncCore
import LeadSyncProtocol
import LeadSyncStore

/// The hub's two costs apart, on one thread without the network: decoding the pushed `ops` lines,
/// and applying the batches (one group commit per round of one batch per rep), each as wall time
/// and as the thread's CPU time.
struct Breakdown {
    var decodeSeconds = 0.0
    var decodeCPU = 0.0
    var applySeconds = 0.0
    var applyCPU = 0.0
    /// How many batches each rep's push takes: the client cuts them the same way.
    var batches: [Int] = []

    /// Streams round by round: each round reads every rep's next batch from its replica, cut as
    /// the client cuts it (a small first one, then full ones), so at most one batch per rep is
    /// held at a time, whatever the size of the run.
    static func measure(reps: [BenchRep], scratchPath: String) throws -> Breakdown {
        let scratch = try Store.open(path: scratchPath)
        var breakdown = Breakdown()
        breakdown.batches = [Int](repeating: 0, count: reps.count)
        var cursors = [Int64](repeating: 0, count: reps.count)
        var firstRound = true
        while true {
            var lines: [[UInt8]] = []
            for (index, rep) in reps.enumerated() {
                let entries = try rep.openStore().operationBodies(
                    missingFrom: VectorClock(), after: cursors[index],
                    limit: firstRound ? ClientSession.firstBatchOps : Limits.maxBatchOpsDefault)
                guard let batch = OutgoingBatch.prefix(
                    of: entries, maxOps: Limits.maxBatchOpsDefault, maxBytes: Limits.maxBatchBytesDefault) else { continue }
                lines.append(Array(LineCodec.encodeOps(bodies: batch.bodies).utf8))
                cursors[index] = batch.lastPosition
                breakdown.batches[index] += 1
            }
            guard !lines.isEmpty else { return breakdown }
            firstRound = false

            let decodeStart = ContinuousClock.now
            let decodeCPUStart = threadCPUSeconds()
            let decoded = try lines.map { line in
                guard case .ops(let ops) = try LineCodec.decode(line) else { fatalError("not an ops line") }
                return ops
            }
            breakdown.decodeSeconds += seconds(since: decodeStart)
            breakdown.decodeCPU += threadCPUSeconds() - decodeCPUStart

            let applyStart = ContinuousClock.now
            let applyCPUStart = threadCPUSeconds()
            let results = try scratch.apply(batches: decoded.map { RemoteBatch(operations: $0) })
            for case .failure(let error) in results { throw error }
            breakdown.applySeconds += seconds(since: applyStart)
            breakdown.applyCPU += threadCPUSeconds() - applyCPUStart
        }
    }
}
