import Foundation
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// SIGTERM to `leadsync hub serve` while `leadsync sync` pushes 50,000 operations, ten times: the
/// client finishes or says the hub is shutting down (exit 75, never "I/O on closed channel"), the
/// hub exits 0 without a cancelled statistics write, and after a restart the next sync pushes
/// exactly the rest. Replay with LEADSYNC_SHUTDOWN_SEED=<printed seed>.
@Suite struct HubShutdownTests {
    static let operations = 50_000
    static let rounds = 10

    @Test(.timeLimit(.minutes(20))) func sigtermDuringPushLosesAndRepeatsNothing() async throws {
        let seed = ProcessInfo.processInfo.environment["LEADSYNC_SHUTDOWN_SEED"].flatMap(UInt64.init) ?? 14
        print("hub-shutdown seed: \(seed) (replay with LEADSYNC_SHUTDOWN_SEED=\(seed))")
        var rng = SeededGenerator(seed: seed)
        let root = try TemporaryDirectory("hub-sigterm")
        let hubTemplate = root.appending("hub-template")
        let replicaTemplate = root.appending("anna-template")
        let baseline = try await onDedicatedThread {
            try Self.prepare(hub: hubTemplate.path, replica: replicaTemplate)
        }
        var interrupted = 0
        for round in 0..<Self.rounds {
            let hubHome = root.appending("hub-\(round)")
            let replicaHome = root.appending("anna-\(round)")
            try FileManager.default.copyItem(at: hubTemplate, to: hubHome)
            try FileManager.default.copyItem(at: replicaTemplate, to: replicaHome)
            // SIGTERM once the hub holds at least this many of the pushed operations.
            let threshold = Int.random(in: 1...(Self.operations * 9 / 10), using: &rng)
            let context = "round \(round) (seed \(seed), SIGTERM after \(threshold) ops)"

            let outcome = try await onDedicatedThread {
                try Self.interruptedPush(hubHome: hubHome.path, replicaHome: replicaHome.path, after: threshold, baseline: baseline)
            }
            #expect(outcome.hubStatus == 0, "\(context): hub exit status \(String(describing: outcome.hubStatus))")
            #expect(!outcome.hubLog.contains("CancellationError"), "\(context): hub log: \(outcome.hubLog)")
            #expect(!outcome.hubLog.contains("cannot record"), "\(context): hub log: \(outcome.hubLog)")
            let client = outcome.client
            #expect(!client.stderr.contains("closed channel") && !client.stderr.contains("connection to the hub was lost"),
                "\(context): \(client.stderr)")
            if client.status != 0 {
                interrupted += 1
                #expect(client.status == 75 && client.stderr.contains("shutting down"), "\(context): exit \(client.status): \(client.stderr)")
            }

            // Restart: the next sync pushes exactly what the hub did not get, and nothing twice.
            let (rest, restartedStatus, onHub) = try await onDedicatedThread {
                try Self.finishingSync(hubHome: hubHome.path, replicaHome: replicaHome.path, baseline: baseline)
            }
            #expect(restartedStatus == 0, "\(context): the restarted hub exited with \(String(describing: restartedStatus))")
            #expect(rest.sent == Self.operations - outcome.onHub, "\(context): sent \(rest.sent), hub had \(outcome.onHub)")
            #expect(onHub == Self.operations, "\(context): the hub holds \(onHub) of the replica's operations")
            try? FileManager.default.removeItem(at: hubHome)
            try? FileManager.default.removeItem(at: replicaHome)
        }
        // The point is interrupting pushes: most SIGTERMs must land before the push ends.
        #expect(interrupted >= Self.rounds / 2, "only \(interrupted) of \(Self.rounds) SIGTERMs interrupted the push")
    }

    /// How the interrupted `leadsync sync` ended.
    struct ClientExit: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    struct Interrupted: Sendable {
        let client: ClientExit
        let hubStatus: Int32?
        let hubLog: String
        /// The replica's operations the hub held after it stopped.
        let onHub: Int
    }

    /// Serves `hubHome`, starts `leadsync sync` from `replicaHome`, SIGTERMs the hub once it holds
    /// `threshold` of the replica's operations (or the push is over), and waits for both to exit.
    static func interruptedPush(hubHome: String, replicaHome: String, after threshold: Int, baseline: Int) throws -> Interrupted {
        let hubLog = Pipe()
        let hub = try HubProcess(home: hubHome, arguments: ["--log-level", "warning"], stderr: hubLog)
        defer { hub.stop() }
        let hubStore = try Store.open(path: hubHome + "/hub.sqlite")
        let out = Pipe()
        let err = Pipe()
        let sync = try BulkReplica.startSync(home: URL(fileURLWithPath: replicaHome), port: hub.port, stdout: out, stderr: err)
        defer { if sync.isRunning { kill(sync.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(120)
        var held = 0
        while held < threshold, sync.isRunning {
            held = try hubStore.counts().operations - baseline
            try #require(Date() < deadline, "the hub got only \(held) operations in 120 s")
            Thread.sleep(forTimeInterval: 0.005)
        }
        let hubStatus = try hub.terminate(within: 30)
        if hubStatus == nil { hub.kill9(within: 10) }
        let clientOut = out.fileHandleForReading.readDataToEndOfFile()
        let clientErr = err.fileHandleForReading.readDataToEndOfFile()
        sync.waitUntilExit()
        let log = String(decoding: hubLog.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Interrupted(
            client: ClientExit(
                status: sync.terminationStatus, stdout: String(decoding: clientOut, as: UTF8.self),
                stderr: String(decoding: clientErr, as: UTF8.self)),
            hubStatus: hubStatus, hubLog: log, onHub: try hubStore.counts().operations - baseline)
    }

    /// Restarts the hub, syncs to the end, stops the hub; the summary, the hub's exit status and
    /// the replica's operations on the hub.
    static func finishingSync(hubHome: String, replicaHome: String, baseline: Int) throws -> (SyncSummary, Int32?, Int) {
        let hub = try HubProcess(home: hubHome)
        defer { hub.stop() }
        let result = try BulkReplica.sync(home: URL(fileURLWithPath: replicaHome), port: hub.port)
        try #require(result.succeeded, "the sync after the restart failed: \(result.stderr)")
        let summary = try JSONDecoder().decode(SyncSummary.self, from: Data(result.stdout.utf8))
        let status = try hub.terminate(within: 30)
        return (summary, status, try Store.open(path: hubHome + "/hub.sqlite").counts().operations - baseline)
    }

    /// A hub home with node anna, and anna's replica holding `operations` operations; the hub's
    /// own operation count before any sync.
    static func prepare(hub: String, replica: URL) throws -> Int {
        let invitation = try CLIHub(home: hub).addNode("anna")
        try #require(try BulkReplica.make(invitation, home: replica, leads: operations / 4) == operations)
        return try Store.open(path: hub + "/hub.sqlite").counts().operations
    }
}
