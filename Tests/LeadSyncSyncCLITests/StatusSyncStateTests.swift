import Foundation
import LeadSyncTestSupport
import Testing

/// `leadsync status` shows the sync state: operations the hub has not acknowledged and the last
/// successful sync, in text and in `--json` (Docs/cli-json.md). All through the built binary, with
/// `hub serve` as a subprocess.
@Suite struct StatusSyncStateTests {
    @Test(.timeLimit(.minutes(6))) func statusCountsUnacknowledgedOperationsAndShowsTheLastSync() async throws {
        try await onDedicatedThread { try Self.statusCountsUnacknowledgedOperationsAndShowsTheLastSync() }
    }

    static func statusCountsUnacknowledgedOperationsAndShowsTheLastSync() throws {
        let root = try TemporaryDirectory("status-sync")
        let hubHome = root.appending("hub").path
        let home = root.appending("anna").path
        let hub = try CLIHub(home: hubHome)
        let anna = try hub.addNode("anna")
        let server = try hub.serve()
        defer { server.stop() }

        try run(anna.initArguments(port: server.port) + ["--home", home])
        let lead = try run([
            "add", "--first-name", "Jürgen", "--last-name", "Müller", "--company", "Müller Maschinenbau GmbH",
            "--email", "j.mueller@example.de", "--home", home,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
        try run(["add", "--first-name", "Sabine", "--last-name", "Wagner", "--company", "Wagner Logistik AG", "--home", home])
        try run(["set", lead, "phone=+49 511 123456", "--home", home])

        let before = try status(home)
        #expect(before["unacknowledged_operations"] as? Int == 3)
        #expect(before["operations"] as? Int == 3)
        #expect(before["last_sync"] is NSNull, "no sync yet: \(before["last_sync"] ?? "missing")")
        #expect(before["hub_id"] is NSNull)
        let beforeText = try run(["status", "--home", home])
        #expect(beforeText.contains("3 operations not yet acknowledged by the hub"), "\(beforeText)")
        #expect(beforeText.contains("never"))

        let started = Date()
        try run(["sync", "--home", home])
        let after = try status(home)
        #expect(after["unacknowledged_operations"] as? Int == 0)
        let lastSync = try #require(after["last_sync"] as? String, "\(after)")
        let parsed = try Date(lastSync, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        #expect(abs(parsed.timeIntervalSince(started)) < 120, "last sync \(lastSync), started \(started)")
        let hubReport = try #require(
            try JSONSerialization.jsonObject(with: Data(run(["hub", "status", "--json", "--home", hubHome]).utf8)) as? [String: Any])
        #expect(after["hub_id"] as? String == hubReport["hub"] as? String)
        let afterText = try run(["status", "--home", home])
        #expect(afterText.contains("none: the hub has acknowledged every operation"), "\(afterText)")
        #expect(afterText.contains(lastSync))

        // A capture after the sync is unacknowledged again; the last sync stays.
        try run(["note", lead, "Wants a demo in May", "--home", home])
        let later = try status(home)
        #expect(later["unacknowledged_operations"] as? Int == 1)
        #expect(later["last_sync"] as? String == lastSync)
        #expect(try server.terminate(within: 10) == 0)
    }

    /// Runs the binary, requiring success; returns standard output.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let result = try LeadSyncBinary.run(arguments)
        try #require(result.succeeded, "leadsync \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    static func status(_ home: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run(["status", "--json", "--home", home]).utf8)) as? [String: Any])
    }
}
