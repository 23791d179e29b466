import Foundation
import GRDB
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore

// "Trade-fair day": R reps each capture L leads with 8 fields offline, then make E single-field
// edits per lead. In the evening all reps push at once to one hub over loopback (the hub's merge
// rate), then a fresh replica pulls everything (full-pull rate). The same rows bulk-written into a
// plain SQLite table give the ceiling. Usage: bench-sync [R] [L] [E]
//
// The hub is the real `leadsync hub serve` (built next to this benchmark) in a process of its own.
// The reps' clients run in this process at a lower scheduling priority (nice 10): on the evening
// they are fifty laptops, not threads taking the hub's two cores from it.
// The sync runs over TLS (the hub's own certificate, pinned) unless BENCH_TRANSPORT=plaintext.

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let reps = arguments.count > 0 ? arguments[0] : 50
let leadsPerRep = arguments.count > 1 ? arguments[1] : 200
let editsPerLead = arguments.count > 2 ? arguments[2] : 10
let fieldNames: [LeadField] = [.firstName, .lastName, .email, .phone, .company, .jobTitle, .city, .event]

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// CPU time of the calling thread: steadier than wall time on a machine shared with other builds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time of the whole process (every thread), user and system.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time, user and system, of another process (fields 14 and 15 of `/proc/PID/stat`).
func processCPUSeconds(pid: pid_t) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let end = stat.lastIndex(of: ")") else { return .nan }
    // Fields after the command name (which may hold spaces), starting with field 3.
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func value(_ field: LeadField, rep: Int, lead: Int, version: Int) -> String {
    switch field {
    case .email: "rep\(rep).lead\(lead).v\(version)@example.de"
    case .phone: "+49 30 \(rep * 100_000 + lead * 10 + version % 10)"
    case .event: "Hannover Messe 2026"
    default: "\(field.rawValue)-\(rep)-\(lead)-v\(version)"
    }
}

/// Counts the bytes of the `ops` lines clients send. It runs on the clients' path, so it only
/// reads the length: splitting every line to count its ops cost a sixth of the push's CPU time.
final class WireCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    var bytes: Int { lock.withLock { total } }

    func record(_ direction: TrafficDirection, _ line: String) {
        guard direction == .sent, line.utf8.starts(with: #"{"ops":["#.utf8) else { return }
        lock.withLock { total += line.utf8.count + 1 }
    }
}

/// Lowers the scheduling priority of every thread of this process to nice 10; threads started
/// later inherit it from the thread that starts them. (Linux keeps a nice value per thread, and
/// lowering one's own priority needs no privilege.)
func lowerOwnPriority() {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    for task in tasks.compactMap({ id_t($0) }) {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), task, 10)
    }
}

/// Peak resident memory of another process (`VmHWM` in `/proc/PID/status`), in MiB.
func peakMemoryMiB(pid: pid_t) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { return .nan }
    return kib / 1024
}

let plaintext = ProcessInfo.processInfo.environment["BENCH_TRANSPORT"] == "plaintext"
let postgresProcesses = Int(ProcessInfo.processInfo.environment["BENCH_POSTGRES_PROCESSES"] ?? "")
let hub = try await BenchHub(plaintext: plaintext, postgresProcesses: postgresProcesses)
// The hub process started at the normal priority; from here on this process runs below it.
lowerOwnPriority()
do {
    // 1. The day: every rep captures and edits offline (not timed: that is bench-local's job).
    print("preparing \(reps) reps x \(leadsPerRep) leads x 8 fields, \(editsPerLead) edits per lead …")
    var replicas: [TestReplica] = []
    var generator = SeededGenerator(seed: 2026)
    for rep in 0..<reps {
        let replica = try await hub.addReplica("rep\(rep)")
        try replica.store.editing { editor in
            var ids: [RecordID] = []
            for lead in 0..<leadsPerRep {
                var fields: [FieldName: String] = [:]
                for field in fieldNames { fields[.standard(field)] = value(field, rep: rep, lead: lead, version: 0) }
                let id = RecordID.random(using: &generator)
                try editor.commit(.create(fields: fields, stage: .lead, tags: []), to: id)
                ids.append(id)
            }
            for edit in 1...max(editsPerLead, 1) where editsPerLead > 0 {
                for (lead, id) in ids.enumerated() {
                    let field = fieldNames[Int.random(in: 0..<fieldNames.count, using: &generator)]
                    try editor.commit(.set([.standard(field): value(field, rep: rep, lead: lead, version: edit)]), to: id)
                }
            }
        }
        replicas.append(replica)
    }
    let opsPerRep = leadsPerRep * (1 + editsPerLead)

    // The hub's two costs apart, on one thread without the network: decoding the pushed `ops`
    // lines, and applying the batches (one group commit per round of one batch per rep). The
    // batches are cut as the client cuts them: a small first one, then full ones.
    var lines: [[[UInt8]]] = []
    for replica in replicas {
        var entries = try replica.store.operationBodies(missingFrom: VectorClock(), limit: .max)[...]
        var repLines: [[UInt8]] = []
        while let batch = OutgoingBatch.prefix(
            of: Array(entries.prefix(repLines.isEmpty ? ClientSession.firstBatchOps : Limits.maxBatchOpsDefault)),
            maxOps: Limits.maxBatchOpsDefault, maxBytes: Limits.maxBatchBytesDefault)
        {
            repLines.append(Array(LineCodec.encodeOps(bodies: batch.bodies).utf8))
            entries = entries.dropFirst(batch.bodies.count)
        }
        lines.append(repLines)
    }
    let decodeStart = ContinuousClock.now
    let decodeCPUStart = threadCPUSeconds()
    var decoded: [[[Op]]] = []
    for repLines in lines {
        decoded.append(try repLines.map { line in
            guard case .ops(let ops) = try LineCodec.decode(line) else { fatalError("not an ops line") }
            return ops
        })
    }
    let decodeSeconds = seconds(since: decodeStart)
    let decodeCPU = threadCPUSeconds() - decodeCPUStart
    let scratch = try Store.open(path: hub.directory.appending("breakdown.sqlite").path)
    let applyStart = ContinuousClock.now
    let applyCPUStart = threadCPUSeconds()
    for round in 0..<decoded[0].count {
        let results = try scratch.apply(batches: decoded.map { RemoteBatch(operations: $0[round]) })
        for case .failure(let error) in results { throw error }
    }
    let applySeconds = seconds(since: applyStart)
    let applyCPU = threadCPUSeconds() - applyCPUStart
    let totalOps = reps * opsPerRep
    let fieldUpdates = reps * leadsPerRep * (fieldNames.count + editsPerLead)

    // 2. The evening: all reps push at once. A session is cut when its last batch is acknowledged
    // (hello, welcome, each batch and its ack), before `done`: after `done` the hub would start
    // the pull, and reading, sending and decoding that is not the merge being measured.
    let wire = WireCounter()
    let batches = lines[0].count
    // Again, for threads started since by a thread that already existed (a runtime's helpers).
    lowerOwnPriority()
    let pushCPUStart = processCPUSeconds()
    let hubCPUStart = hub.cpuSeconds()
    let pushStart = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for replica in replicas {
            group.addTask {
                do {
                    _ = try await hub.client(for: replica, maxLines: 2 + 2 * batches, traffic: wire.record).sync()
                } catch let error as SyncError {
                    // A cut is expected: the pull was not wanted here.
                    guard case .cutOff = error else { throw error }
                }
            }
        }
        try await group.waitForAll()
    }
    let pushSeconds = seconds(since: pushStart)
    let pushCPU = processCPUSeconds() - pushCPUStart
    let hubCPU = hub.cpuSeconds() - hubCPUStart
    let onHub = try await hub.operationCount()
    guard onHub == totalOps else { fatalError("hub holds \(onHub) ops, expected \(totalOps)") }

    // 3. A fresh replica pulls everything.
    let fresh = try await hub.addReplica("fresh")
    let pullStart = ContinuousClock.now
    let summary = try await hub.client(for: fresh).sync()
    let pullSeconds = seconds(since: pullStart)
    guard summary.received == totalOps else { fatalError("fresh replica received \(summary.received) of \(totalOps)") }

    // 4. The ceiling: the same rows and updates into a plain table, one transaction.
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let plain = try DatabasePool(path: hub.directory.appending("plain.sqlite").path, configuration: configuration)
    let plainStart = ContinuousClock.now
    try plain.write { db in
        var plainGenerator = SeededGenerator(seed: 2026)
        let columns = fieldNames.map(\.rawValue)
        try db.execute(sql: "CREATE TABLE lead (id INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")))")
        let insert = try db.makeStatement(sql: "INSERT INTO lead VALUES (?, \(columns.map { _ in "?" }.joined(separator: ", ")))")
        let updates = try columns.map { try db.makeStatement(sql: "UPDATE lead SET \($0) = ? WHERE id = ?") }
        for rep in 0..<reps {
            for lead in 0..<leadsPerRep {
                var values: [(any DatabaseValueConvertible)?] = [rep * leadsPerRep + lead]
                values += fieldNames.map { value($0, rep: rep, lead: lead, version: 0) }
                try insert.execute(arguments: StatementArguments(values))
            }
            for edit in 1...max(editsPerLead, 1) where editsPerLead > 0 {
                for lead in 0..<leadsPerRep {
                    let index = Int.random(in: 0..<fieldNames.count, using: &plainGenerator)
                    try updates[index].execute(arguments: [value(fieldNames[index], rep: rep, lead: lead, version: edit), rep * leadsPerRep + lead])
                }
            }
        }
    }
    let plainSeconds = seconds(since: plainStart)

    func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%9.0f", Double(count) / seconds) }
    print("")
    print("transport: \(plaintext ? "plaintext" : "TLS 1.3, pinned self-signed P-256 certificate")")
    print("hub: \(hub.kind)")
    print("workload: \(reps) reps x \(leadsPerRep) leads x 8 fields + \(editsPerLead) edits/lead = \(totalOps) ops, \(fieldUpdates) field updates")
    print("                                        per second    seconds")
    print("hub merge, \(reps) reps pushing at once   \(rate(fieldUpdates, pushSeconds)) field-updates  \(String(format: "%6.2f", pushSeconds))  (\(rate(totalOps, pushSeconds)) ops/s)")
    func perOp(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1e6 / Double(totalOps)) }
    print("  of which, on one thread, no network: decode \(perOp(decodeSeconds)) µs/op (CPU \(perOp(decodeCPU))), apply \(perOp(applySeconds)) µs/op (CPU \(perOp(applyCPU)))")
    print("  CPU time during the push: hub process(es) \(String(format: "%.2f", hubCPU)) s, clients \(String(format: "%.2f", pushCPU)) s, on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("fresh replica full pull              \(rate(totalOps, pullSeconds)) ops           \(String(format: "%6.2f", pullSeconds))")
    print("plain SQLite bulk write (ceiling)    \(rate(fieldUpdates, plainSeconds)) field-updates  \(String(format: "%6.2f", plainSeconds))")
    let peakMemory = hub.processes.map { peakMemoryMiB(pid: $0.pid) }.max() ?? Double.nan
    print("hub process peak memory (push and pull) \(String(format: "%6.1f", peakMemory)) MiB")
    print("bytes on the wire per op (push)      \(String(format: "%9.0f", Double(wire.bytes) / Double(totalOps)))")
} catch {
    await hub.stop()
    throw error
}
await hub.stop()
