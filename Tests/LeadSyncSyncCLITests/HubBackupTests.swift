import Foundation
import LeadSyncCore
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// `leadsync hub backup` while replicas push, then `hub restore`: every operation acknowledged
/// before the backup is there, revoked tokens stay revoked, a node registered after the backup
/// still syncs, and replicas ahead of the restored hub push what it lost.
@Suite struct HubBackupTests {
    @Test(.timeLimit(.minutes(10))) func backupWhilePushingThenRestore() async throws {
        let root = try TemporaryDirectory("hub-backup")
        let hubHome = root.appending("hub").path
        let backup = root.appending("backup")
        let annaHome = root.appending("anna")
        let bobHome = root.appending("bob")
        let carlHome = root.appending("carl")
        let (annaOps, bobOps) = try await onDedicatedThread {
            let cli = try CLIHub(home: hubHome)
            let annaOps = try BulkReplica.make(try cli.addNode("anna"), home: annaHome, leads: 5_000, seed: 1)
            let bobOps = try BulkReplica.make(try cli.addNode("bob"), home: bobHome, leads: 2_500, seed: 2)
            try BulkReplica.make(try cli.addNode("carl"), home: carlHome, leads: 0)
            return (annaOps, bobOps)
        }
        let hubStore = try Store.open(path: hubHome + "/hub.sqlite")
        let baseline = try hubStore.counts().operations

        // Both replicas push; the backup starts once the hub holds some of their operations.
        let (manifest, committedBefore) = try await onDedicatedThread { () throws -> (BackupManifest, VectorClock) in
            let hub = try HubProcess(home: hubHome)
            defer { hub.stop() }
            let pipes = (0..<4).map { _ in Pipe() }
            let syncs = [
                try BulkReplica.startSync(home: annaHome, port: hub.port, stdout: pipes[0], stderr: pipes[1]),
                try BulkReplica.startSync(home: bobHome, port: hub.port, stdout: pipes[2], stderr: pipes[3]),
            ]
            defer { for sync in syncs where sync.isRunning { kill(sync.processIdentifier, SIGKILL) } }
            let deadline = Date().addingTimeInterval(120)
            while try hubStore.counts().operations - baseline < 2_000 {
                try #require(Date() < deadline, "the replicas pushed nothing in 120 s")
                Thread.sleep(forTimeInterval: 0.005)
            }
            // Every operation acknowledged so far is committed, so in this clock.
            let committed = try hubStore.clock()
            let result = try LeadSyncBinary.run(["hub", "backup", backup.path, "--home", hubHome, "--json"])
            try #require(result.succeeded, "hub backup: \(result.stderr)")
            let manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(result.stdout.utf8))
            for (index, sync) in syncs.enumerated() {
                let errors = String(decoding: pipes[index * 2 + 1].fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                sync.waitUntilExit()
                try #require(sync.terminationStatus == 0, "sync \(index): \(errors)")
            }
            // After the backup: carl is revoked, dave registered.
            try #require(try LeadSyncBinary.run(["hub", "revoke-node", "carl", "--home", hubHome]).succeeded)
            try #require(try hub.terminate(within: 30) == 0)
            return (manifest, committed)
        }
        #expect(manifest.operations - baseline < annaOps + bobOps, "the backup should catch the push midway")
        #expect(manifest.certificate)
        let dave = try await onDedicatedThread { try CLIHub(existingHome: hubHome).addNode("dave") }

        let restored = try LeadSyncBinary.run(["hub", "restore", backup.path, "--home", hubHome, "--json"])
        try #require(restored.succeeded, "hub restore: \(restored.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(restored.stdout.utf8)) as? [String: Any])
        let merge = try #require(report["merge"] as? [String: Any])
        // The backup's nodes are all in the current registry, whose state wins (carl stays revoked);
        // dave, registered after the backup, is untouched.
        #expect(merge["nodes_kept"] as? [String] == ["anna", "bob", "carl"])
        #expect(merge["nodes_from_backup"] as? [String] == [])
        #expect(report["certificate"] as? String == "kept")
        #expect(report["hub"] as? String != manifest.hub)

        // Every operation committed (so every one acknowledged) before the backup is in the restored store.
        let store = try Store.open(path: hubHome + "/hub.sqlite")
        let clock = try store.clock()
        #expect(committedBefore.entries.allSatisfy { clock[$0.key] >= $0.value }, "restored \(clock) lacks \(committedBefore)")
        #expect(try store.counts().operations == manifest.operations)
        #expect(try store.integrityCheck().isEmpty)

        try await onDedicatedThread {
            let hub = try HubProcess(home: hubHome)
            defer { hub.stop() }
            // Revoked after the backup: stays revoked.
            let refused = try BulkReplica.sync(home: carlHome, port: hub.port)
            #expect(refused.status == 77 && refused.stderr.contains("revoked"), "carl: \(refused.status) \(refused.stderr)")
            // Registered after the backup: syncs.
            let daveHome = root.appending("dave")
            try BulkReplica.make(dave, home: daveHome, leads: 10, seed: 4)
            let daveSync = try BulkReplica.sync(home: daveHome, port: hub.port)
            #expect(daveSync.succeeded, "dave: \(daveSync.stderr)")
            // Anna and bob are ahead of the restored hub: they push what it lost, and only that.
            for (home, made) in [(annaHome, annaOps), (bobHome, bobOps)] {
                let before = try Self.operations(of: home, on: store)
                let result = try BulkReplica.sync(home: home, port: hub.port)
                try #require(result.succeeded, "\(home.lastPathComponent): \(result.stderr)")
                let summary = try JSONDecoder().decode(SyncSummary.self, from: Data(result.stdout.utf8))
                #expect(summary.sent == made - before, "\(home.lastPathComponent) sent \(summary.sent), the hub had \(before) of \(made)")
                #expect(try Self.operations(of: home, on: store) == made)
            }
            #expect(try hub.terminate(within: 30) == 0)
        }
        #expect(try store.counts().operations - baseline == annaOps + bobOps + 40)
    }

    @Test func restoreRefusesUnderAServingHubAndWithoutARegistry() async throws {
        let root = try TemporaryDirectory("hub-restore-refusals")
        let hubHome = root.appending("hub").path
        let backup = root.appending("backup").path
        try await onDedicatedThread {
            _ = try CLIHub(home: hubHome)
            try #require(try LeadSyncBinary.run(["hub", "backup", backup, "--home", hubHome]).succeeded)
            // A backup never overwrites.
            let again = try LeadSyncBinary.run(["hub", "backup", backup, "--home", hubHome])
            #expect(again.status == 64 && again.stderr.contains("not empty"), "\(again.stderr)")

            let hub = try HubProcess(home: hubHome)
            let serving = try LeadSyncBinary.run(["hub", "restore", backup, "--home", hubHome])
            #expect(serving.status == 75 && serving.stderr.contains("stop 'leadsync hub serve' first"), "\(serving.stderr)")
            #expect(try hub.terminate(within: 30) == 0)

            let empty = root.appending("elsewhere").path
            let refused = try LeadSyncBinary.run(["hub", "restore", backup, "--home", empty])
            #expect(refused.status == 78 && refused.stderr.contains("--use-backup-registry"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: empty + "/hub.sqlite"))
            let taken = try LeadSyncBinary.run(["hub", "restore", backup, "--home", empty, "--use-backup-registry", "--json"])
            try #require(taken.succeeded, "\(taken.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(taken.stdout.utf8)) as? [String: Any])
            #expect(report["registry_from_backup"] as? Bool == true)
            #expect(report["certificate"] as? String == "restored")
        }
    }

    /// Operations of `home`'s node on the hub's store.
    static func operations(of home: URL, on hub: Store) throws -> Int {
        let replica = try Store.open(path: home.appendingPathComponent("replica.sqlite").path)
        let node = try #require(try replica.identity()).node
        return try hub.operationLog().filter { $0.origin.node == node }.count
    }
}

/// The keys of `hub backup --json` the tests read.
struct BackupManifest: Decodable {
    let hub: String
    let operations: Int
    let certificate: Bool
}
