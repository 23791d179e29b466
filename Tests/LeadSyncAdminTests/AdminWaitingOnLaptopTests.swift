import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncTestSupport
import Testing

/// Issue 14, point 3 and the admin question: "which reps have not synced since yesterday, and how
/// much is waiting on their laptops?" is answered by one API request and one page request, and the
/// waiting figure equals what `leadsync status --json` on that laptop reports.
@Suite struct AdminWaitingOnLaptopTests {
    @Test(.timeLimit(.minutes(6))) func waitingOnLaptopEqualsTheLaptopsStatus() async throws {
        try await onDedicatedThread { try Self.waitingOnLaptopEqualsTheLaptopsStatus() }
    }

    static func waitingOnLaptopEqualsTheLaptopsStatus() throws {
        var nodeToken = ""
        var adminToken = ""
        let hub = try AdminTestHub("admin-waiting") { home in
            nodeToken = try AdminTestHub.run(["hub", "add-node", "anna", "--home", home]).trimmingCharacters(in: .whitespacesAndNewlines)
            try AdminTestHub.run(["hub", "add-node", "bruno", "--home", home])
            adminToken = try AdminTestHub.run(["hub", "admin-token", "create", "ops", "--home", home])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let laptop = hub.root.appending("anna").path
        try AdminTestHub.run(["init", "--node", "anna", "--hub", "127.0.0.1:\(hub.syncPort)", "--token", nodeToken, "--plaintext", "--home", laptop])
        try AdminTestHub.run(["add", "--first-name", "Jürgen", "--last-name", "Müller", "--company", "Müller GmbH", "--home", laptop])
        try AdminTestHub.run(["sync", "--home", laptop])
        for name in ["Sabine", "Kai", "Lena"] {
            try AdminTestHub.run(["add", "--first-name", name, "--last-name", "Wagner", "--home", laptop])
        }
        let status = try Self.status(laptop)
        let pending = try #require(status["unacknowledged_operations"] as? Int)
        #expect(pending == 3)

        // The laptop reaches the hub, says hello with its clock, and its connection breaks before it
        // pushes (a bad line stands in for the dropped network).
        let clock = try #require(status["clock"] as? [String: Int])
        let hello = Hello(
            node: try NodeID(validating: "anna"), actor: try ActorID(validating: try #require(status["actor"] as? String)),
            token: nodeToken,
            clock: VectorClock(Dictionary(uniqueKeysWithValues: try clock.map { (try ActorID(validating: $0.key), UInt64($0.value)) })),
            wall: Int64(Date().timeIntervalSince1970 * 1000))
        let exchange = try blockingRawExchange(port: hub.syncPort, lines: [LineCodec.encode(.hello(hello)) + "\n", "not json\n"])
        #expect(exchange.first?.contains("\"welcome\"") == true, "\(exchange)")
        // And it has not synced successfully for two days.
        try NodeRegistry.open(path: hub.home + "/nodes.sqlite")
            .setLastSync(node: try NodeID(validating: "anna"), at: Int64(Date().timeIntervalSince1970 * 1000) - 48 * 3_600_000)

        // The API: one request.
        let list = try hub.json("/api/v1/nodes?stale_hours=24", token: adminToken)
        let nodes = try #require(list["nodes"] as? [[String: Any]])
        #expect(nodes.compactMap { $0["node"] as? String }.sorted() == ["anna", "bruno"], "bruno never synced")
        let anna = try #require(nodes.first { $0["node"] as? String == "anna" })
        #expect(anna["waiting_on_node"] as? Int == pending)
        #expect(anna["state"] as? String == "active")
        #expect((anna["last_error"] as? String)?.contains("bad_json") == true, "\(anna)")

        // The page: one request (the bearer token works for pages too), the same figure in anna's row.
        let page = try hub.request("/?stale_hours=24", token: adminToken)
        #expect(page.status == 200)
        let row = try #require(page.body.components(separatedBy: "<tr").first { $0.contains("data-node=\"anna\"") })
        #expect(row.contains("<td class=\"num waiting\">\(pending)</td>"), "\(row)")
        #expect(page.body.contains("<span id=\"shown\">2</span> of 2 nodes not synced for more than 24 hours"))

        // The node's sessions: the broken one first, then the successful sync that pushed one lead.
        let detail = try hub.json("/api/v1/nodes/anna", token: adminToken)
        let sessions = try #require(detail["sessions"] as? [[String: Any]])
        #expect(sessions.compactMap { $0["outcome"] as? String } == ["bad_json", "ok"], "\(sessions)")
        #expect(sessions.last?["pushed"] as? Int == 1)

        // A real sync pushes the three: both sides now say nothing is waiting.
        try AdminTestHub.run(["sync", "--home", laptop])
        #expect(try Self.status(laptop)["unacknowledged_operations"] as? Int == 0)
        let after = try hub.json("/api/v1/nodes/anna", token: adminToken)
        let annaAfter = try #require(after["node"] as? [String: Any])
        #expect(annaAfter["waiting_on_node"] as? Int == 0)
        #expect(annaAfter["ops_pushed"] as? Int == 4)
        // The laptop's hello named its build; the page shows it in the client column.
        #expect(annaAfter["client_version"] as? String == "leadsync 0.1.0")
        #expect(annaAfter["client_protocol"] as? Int == 1)
        #expect(try hub.request("/", token: adminToken).body.contains("leadsync 0.1.0 (protocol 1)"))
        #expect(try hub.request("/api/v1/nodes/nobody", token: adminToken).status == 404)
    }

    static func status(_ home: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(AdminTestHub.run(["status", "--json", "--home", home]).utf8)) as? [String: Any])
    }
}

/// RawLineClient from a dedicated thread: the lines the hub answered.
func blockingRawExchange(port: Int, lines: [String]) throws -> [String] {
    let box = ExchangeBox()
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            box.set(.success(try await RawLineClient.exchange(port: port, sending: lines).lines))
        } catch {
            box.set(.failure(error))
        }
        done.signal()
    }
    try #require(done.wait(timeout: .now() + 30) == .success, "the raw exchange did not finish")
    return try box.get()
}

private final class ExchangeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<[String], any Error> = .success([])

    func set(_ value: Result<[String], any Error>) { lock.withLock { result = value } }
    func get() throws -> [String] { try lock.withLock { result }.get() }
}
