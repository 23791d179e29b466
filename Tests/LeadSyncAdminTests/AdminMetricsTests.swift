import Foundation
import LeadSyncTestSupport
import Testing

/// `/metrics` through a real hub subprocess: Prometheus text that `promtool check metrics` accepts,
/// counters that move by exactly what a known sync did, and 401 without a valid admin token.
@Suite struct AdminMetricsTests {
    @Test(.timeLimit(.minutes(6))) func metricsCountAKnownSyncAndNeedAValidToken() async throws {
        try await onDedicatedThread { try Self.metricsCountAKnownSyncAndNeedAValidToken() }
    }

    static func metricsCountAKnownSyncAndNeedAValidToken() throws {
        var tokens: [String: String] = [:]
        var revoked = ""
        let hub = try AdminTestHub("admin-metrics") { home in
            for node in ["anna", "bruno"] {
                tokens[node] = try AdminTestHub.run(["hub", "add-node", node, "--home", home]).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            tokens["admin"] = try AdminTestHub.run(["hub", "admin-token", "create", "ops", "--home", home])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            revoked = try AdminTestHub.run(["hub", "admin-token", "create", "former", "--home", home])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try AdminTestHub.run(["hub", "admin-token", "revoke", "former", "--home", home])
        }
        let admin = try #require(tokens["admin"])

        // Only /healthz is open.
        #expect(try hub.request("/healthz").status == 200)
        for path in ["/metrics", "/api/v1/nodes", "/readyz"] {
            #expect(try hub.request(path).status == 401, "\(path) without a token")
            #expect(try hub.request(path, token: revoked).status == 401, "\(path) with a revoked token")
            #expect(try hub.request(path, token: "not-a-token").status == 401, "\(path) with a wrong token")
        }
        #expect(try hub.request("/readyz", token: admin).status == 200)
        #expect(try hub.request("/", token: revoked).body.contains("action=\"/signin\""), "the page offers the sign-in form")

        let before = try metrics(hub, admin)

        // anna pushes a known number of operations; bruno pulls them; carl is unknown to the hub.
        let anna = hub.root.appending("anna").path
        try AdminTestHub.run(["init", "--node", "anna", "--hub", "127.0.0.1:\(hub.syncPort)", "--token", tokens["anna"]!, "--plaintext", "--home", anna])
        for name in ["Jürgen", "Sabine", "Kai"] {
            try AdminTestHub.run(["add", "--first-name", name, "--last-name", "Müller", "--home", anna])
        }
        let pushed = try #require(
            (try JSONSerialization.jsonObject(with: Data(AdminTestHub.run(["status", "--json", "--home", anna]).utf8)) as? [String: Any])?[
                "operations"] as? Int)
        try AdminTestHub.run(["sync", "--home", anna])
        let bruno = hub.root.appending("bruno").path
        try AdminTestHub.run(["init", "--node", "bruno", "--hub", "127.0.0.1:\(hub.syncPort)", "--token", tokens["bruno"]!, "--plaintext", "--home", bruno])
        try AdminTestHub.run(["sync", "--home", bruno])
        let carl = hub.root.appending("carl").path
        try AdminTestHub.run(["init", "--node", "carl", "--hub", "127.0.0.1:\(hub.syncPort)", "--token", "wrong", "--plaintext", "--home", carl])
        #expect(try !LeadSyncBinary.run(["sync", "--home", carl]).succeeded)

        let after = try metrics(hub, admin)
        func delta(_ series: String) -> Double { value(after, series) - value(before, series) }
        #expect(delta("leadsync_hub_operations_received_total") == Double(pushed))
        #expect(delta("leadsync_hub_operations_sent_total") == Double(pushed))
        #expect(delta("leadsync_hub_sessions_total{outcome=\"ok\"}") == 2)
        #expect(delta("leadsync_hub_auth_failures_total{reason=\"unknown_node\"}") == 1)
        #expect(delta("leadsync_hub_batches_total{direction=\"push\"}") == 1)
        #expect(delta("leadsync_hub_push_duration_seconds_count") == 1)
        #expect(delta("leadsync_hub_batches_total{direction=\"pull\"}") == delta("leadsync_hub_pull_duration_seconds_count"))
        #expect(value(after, "leadsync_hub_node_lag_operations{node=\"anna\"}") == 0)
        #expect(value(after, "leadsync_hub_nodes{state=\"active\"}") == 2)
        #expect(value(after, "leadsync_hub_store_size_bytes") > 0)
        #expect(value(after, "leadsync_hub_connected_sessions") == 0)

        let check = try promtool(after, in: hub.root)
        #expect(check.status == 0, "promtool check metrics: \(check.output)\n\(after)")
        // SIGTERM stops both servers and exits 0.
        #expect(hub.terminate(within: 20) == 0)
    }

    static func metrics(_ hub: AdminTestHub, _ token: String) throws -> String {
        let answer = try hub.request("/metrics", token: token)
        try #require(answer.status == 200, "\(answer.body)")
        #expect(answer.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        return answer.body
    }

    /// The sample value of `series` (name with its labels as printed); 0 when absent.
    static func value(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.split(separator: " ").last ?? "") ?? .nan
        }
        return 0
    }

    static func promtool(_ text: String, in directory: TemporaryDirectory) throws -> (status: Int32, output: String) {
        let tool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let path = try #require(tool, "promtool is missing: Scripts/test.sh installs Debian's prometheus package")
        let file = directory.appending("metrics.txt")
        try Data(text.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: file)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
