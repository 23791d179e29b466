import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// The built `leadsync` binary end to end: a hub served by `hub serve` as a subprocess and two
/// replicas syncing through `leadsync sync` subprocesses.
@Suite(.serialized) struct HubAndSyncCommandTests {
    @Test(.timeLimit(.minutes(6))) func hubServeSyncStatusAndGracefulStop() async throws {
        try await onDedicatedThread { try Self.hubServeSyncStatusAndGracefulStop() }
    }

    static func hubServeSyncStatusAndGracefulStop() throws {
        let root = try TemporaryDirectory("e2e")
        let hubHome = root.appending("hub").path
        let annaHome = root.appending("anna").path
        let benHome = root.appending("ben").path

        let hub = try CLIHub(home: hubHome)
        let annaInvitation = try hub.addNode("anna")
        let benInvitation = try hub.addNode("ben")
        #expect(annaInvitation.token != benInvitation.token)

        let server = try hub.serve()
        defer { server.stop() }

        let annaIDs = try makeReplica(home: annaHome, invitation: annaInvitation, port: server.port, leads: 3)
        _ = try makeReplica(home: benHome, invitation: benInvitation, port: server.port, leads: 2)

        let first = try syncJSON(annaHome)
        #expect(first["sent"] as? Int == 3 && first["received"] as? Int == 0)
        let second = try syncJSON(benHome)
        #expect(second["sent"] as? Int == 2 && second["received"] as? Int == 3)
        let third = try LeadSyncBinary.run(["sync", "--home", annaHome])
        #expect(third.succeeded, "\(third.stderr)")
        #expect(third.stdout.contains("sent 0, received 2"))
        #expect(third.stderr.isEmpty, "no progress line when stderr is not a terminal")

        let anna = try Store.open(path: annaHome + "/replica.sqlite")
        let ben = try Store.open(path: benHome + "/replica.sqlite")
        #expect(try anna.leads() == (try ben.leads()))
        #expect(try anna.leads().count == 5)
        #expect(try Set(ben.leads().map(\.id)).isSuperset(of: annaIDs))

        let status = try LeadSyncBinary.run(["hub", "status", "--json", "--home", hubHome])
        #expect(status.succeeded, "\(status.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(report["operations"] as? Int == 5)
        let nodes = try #require(report["nodes"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: nodes.map { ($0["node"] as? String ?? "?", $0) })
        #expect(byName["anna"]?["ops_received"] as? Int == 3)
        #expect(byName["ben"]?["ops_received"] as? Int == 2)
        #expect(byName["anna"]?["lag"] as? Int == 0)
        #expect(byName["ben"]?["lag"] as? Int == 0)
        #expect(byName["anna"]?["connected"] as? Bool == false)
        #expect(byName["anna"]?["last_sync_at"] is Int)
        let text = try LeadSyncBinary.run(["hub", "status", "--home", hubHome])
        #expect(text.stdout.contains("NODE") && text.stdout.contains("anna"))

        // Wrong token, then a revoked node: clear one-line errors, non-zero exit.
        try anna.setSetting("token", to: "forged")
        let forged = try LeadSyncBinary.run(["sync", "--home", annaHome])
        #expect(!forged.succeeded)
        #expect(forged.stderr.contains("refused this replica's token"), "\(forged.stderr)")
        try anna.setSetting("token", to: annaInvitation.token)
        #expect(try LeadSyncBinary.run(["hub", "revoke-node", "anna", "--home", hubHome]).succeeded)
        let revoked = try LeadSyncBinary.run(["sync", "--home", annaHome])
        #expect(!revoked.succeeded)
        #expect(revoked.stderr.contains("revoked"), "\(revoked.stderr)")
        let listed = try LeadSyncBinary.run(["hub", "list-nodes", "--home", hubHome])
        #expect(listed.stdout.contains("revoked") && listed.stdout.contains("ben"))

        // SIGTERM: the hub stops promptly and exits 0.
        let exitStatus = try server.terminate(within: 10)
        #expect(exitStatus == 0)

        let offline = try LeadSyncBinary.run(["sync", "--home", benHome])
        #expect(!offline.succeeded)
        #expect(offline.stderr.contains("safe locally"), "\(offline.stderr)")
        #expect(offline.stderr.split(separator: "\n").count == 1)
    }

    @Test func syncWithoutHubConfigurationExplainsWhatToDo() async throws {
        try await onDedicatedThread { try Self.syncWithoutHubConfigurationExplainsWhatToDo() }
    }

    static func syncWithoutHubConfigurationExplainsWhatToDo() throws {
        let home = try TemporaryDirectory("nohub")
        let store = try Store.open(path: home.appending("replica.sqlite").path)
        try store.initialize(node: NodeID(validating: "solo"))
        let result = try LeadSyncBinary.run(["sync", "--home", home.path])
        #expect(!result.succeeded)
        #expect(result.stderr.contains("--hub HOST:PORT"))
    }

    @Test func hubCommandsRefuseAMissingHub() async throws {
        try await onDedicatedThread { try Self.hubCommandsRefuseAMissingHub() }
    }

    static func hubCommandsRefuseAMissingHub() throws {
        let home = try TemporaryDirectory("missing")
        let result = try LeadSyncBinary.run(["hub", "add-node", "anna", "--home", home.appending("nope").path])
        #expect(!result.succeeded)
        #expect(result.stderr.contains("hub init"))
        let invalid = try LeadSyncBinary.run(["hub", "add-node", "Not Valid", "--home", home.path])
        #expect(!invalid.succeeded)
    }

    /// A replica home made through the library (the `init`/`add` commands are not this suite's),
    /// with the settings `init` would store from the invitation.
    static func makeReplica(home: String, invitation: NodeInvitation, port: Int, leads: Int) throws -> [RecordID] {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try Store.open(path: home + "/replica.sqlite")
        let node = invitation.node
        try store.initialize(node: NodeID(validating: node))
        for (key, value) in invitation.settings(port: port) { try store.setSetting(key, to: value) }
        return try (0..<leads).map { try store.add(fields: ["last_name": "\(node) \($0)", "email": "\(node)\($0)@example.com"]) }
    }

    static func syncJSON(_ home: String) throws -> [String: Any] {
        let result = try LeadSyncBinary.run(["sync", "--json", "--home", home])
        #expect(result.succeeded, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
}
