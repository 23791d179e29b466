import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTestSupport

// "Trade-fair day": R reps each capture L leads with 8 fields offline, then make E single-field
// edits per lead. In the evening all reps push at once to one hub over loopback (the hub's merge
// rate), then a fresh replica pulls everything (full-pull rate). The same rows bulk-written into a
// plain SQLite table give the ceiling. Usage: bench-sync [R] [L] [E]
//
// The hub is the real `leadsync hub serve` (built next to this benchmark) in a process of its own.
// During the push the reps' clients run in this process 10 nice levels below it: on the evening
// they are fifty laptops, not threads taking the hub's two cores from it.
// The sync runs over TLS (the hub's own certificate, pinned) unless BENCH_TRANSPORT=plaintext.
// The reps' data stays in their replicas' files and is read batch by batch, so runs of millions
// of operations need no more memory than small ones.

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let workload = Workload(
    reps: arguments.count > 0 ? arguments[0] : 50,
    leadsPerRep: arguments.count > 1 ? arguments[1] : 200,
    editsPerLead: arguments.count > 2 ? arguments[2] : 10)
let plaintext = ProcessInfo.processInfo.environment["BENCH_TRANSPORT"] == "plaintext"
let loadAtStart = loadAverages()
let postgresProcesses = Int(ProcessInfo.processInfo.environment["BENCH_POSTGRES_PROCESSES"] ?? "")
let hub = try await BenchHub(plaintext: plaintext, reps: workload.reps, postgresProcesses: postgresProcesses)
do {
    // 1. The day (not timed).
    print("preparing \(workload.reps) reps x \(workload.leadsPerRep) leads x 8 fields, \(workload.editsPerLead) edits per lead …")
    let reps = try await workload.prepareReps(on: hub)
    let totalOps = workload.totalOps
    let fieldUpdates = workload.fieldUpdates
    let breakdown = try Breakdown.measure(reps: reps, scratchPath: hub.directory.appending("breakdown.sqlite").path)
    try FileManager.default.removeItem(atPath: hub.directory.appending("breakdown.sqlite").path)

    // 2. The evening: all reps push at once. A session is cut when its last batch is acknowledged
    // (hello, welcome, each batch and its ack), before `done`: after `done` the hub would start
    // the pull, and reading, sending and decoding that is not the merge being measured.
    let wire = WireCounter()
    let stores = try reps.map { try $0.openStore() }
    // The hub process runs at this process's starting priority; from here on the clients run
    // below it. (The day and the breakdown above are not timed against the hub: on a busy
    // machine, lowering them too only made a run longer.)
    lowerOwnPriority()
    let pushCPUStart = processCPUSeconds()
    let hubCPUStart = hub.cpuSeconds()
    let pushStart = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, (rep, store)) in zip(reps, stores).enumerated() {
            let batches = breakdown.batches[index]
            group.addTask {
                do {
                    _ = try await hub.client(node: rep.node, store: store, token: rep.token, maxLines: 2 + 2 * batches, traffic: wire.record).sync()
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
    // Sizes after a checkpoint: how large the WAL grew depends on when the hub last copied it.
    let hubBytes = try hub.storeBytes()

    // 3. A fresh replica pulls everything.
    let fresh = try await hub.addReplica("fresh")
    let pullStart = ContinuousClock.now
    let summary = try await hub.client(node: fresh.node, store: fresh.store, token: fresh.token).sync()
    let pullSeconds = seconds(since: pullStart)
    guard summary.received == totalOps else { fatalError("fresh replica received \(summary.received) of \(totalOps)") }
    try fresh.store.checkpoint()
    let freshBytes = databaseBytes(fresh.directory.appending("replica.sqlite").path)

    // 4. The ceiling.
    let plainSeconds = try Ceiling.measure(workload, path: hub.directory.appending("plain.sqlite").path)

    func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%9.0f", Double(count) / seconds) }
    func perOp(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1e6 / Double(totalOps)) }
    func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
    print("")
    print("transport: \(plaintext ? "plaintext" : "TLS 1.3, pinned self-signed P-256 certificate")")
    print("hub: \(hub.kind)")
    print("workload: \(workload.reps) reps x \(workload.leadsPerRep) leads x 8 fields + \(workload.editsPerLead) edits/lead = \(totalOps) ops, \(fieldUpdates) field updates")
    print("load average (1, 5, 15 min): \(loadAtStart) at the start, \(loadAverages()) at the end")
    print("                                        per second    seconds")
    print("hub merge, \(workload.reps) reps pushing at once   \(rate(fieldUpdates, pushSeconds)) field-updates  \(String(format: "%6.2f", pushSeconds))  (\(rate(totalOps, pushSeconds)) ops/s)")
    print("  of which, on one thread, no network: decode \(perOp(breakdown.decodeSeconds)) µs/op (CPU \(perOp(breakdown.decodeCPU))), apply \(perOp(breakdown.applySeconds)) µs/op (CPU \(perOp(breakdown.applyCPU)))")
    print("  CPU time during the push: hub process(es) \(String(format: "%.2f", hubCPU)) s, clients \(String(format: "%.2f", pushCPU)) s, on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("fresh replica full pull              \(rate(totalOps, pullSeconds)) ops           \(String(format: "%6.2f", pullSeconds))")
    print("plain SQLite bulk write (ceiling)    \(rate(fieldUpdates, plainSeconds)) field-updates  \(String(format: "%6.2f", plainSeconds))")
    print("hub process peak memory (push and pull) \(String(format: "%6.1f", hub.peakMemory())) MiB")
    print("bytes on the wire per op (push)      \(String(format: "%9.0f", Double(wire.bytes) / Double(totalOps)))")
    let hubDisk = hubBytes.map { "\($0 / totalOps) (\(mib($0)) MiB)" } ?? "n/a (PostgreSQL)"
    print("bytes on disk per op: hub \(hubDisk), fresh replica \(freshBytes / totalOps) (\(mib(freshBytes)) MiB)")
    // The replicas' files (gigabytes at M and L) go now: values of top-level code are not
    // reliably deinitialised before the process exits.
    for directory in reps.map(\.directory) + [fresh.directory] { try? FileManager.default.removeItem(at: directory.url) }
} catch {
    await hub.stop()
    throw error
}
await hub.stop()
try? FileManager.default.removeItem(at: hub.directory.url)
