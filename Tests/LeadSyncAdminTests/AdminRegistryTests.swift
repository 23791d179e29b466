import Foundation
import LeadSyncCore
import LeadSyncHub
@testable import LeadSyncHubSQLite
import Testing

@testable import LeadSyncAdmin

/// The registry's admin tokens and session history, and the page's handling of hostile values.
@Suite struct AdminRegistryTests {
    @Test func adminTokensAreHashedRevocableAndNeverReused() throws {
        let registry = try NodeRegistry.inMemory()
        let ops = try NodeID(validating: "ops")
        let token = try registry.createAdminToken(ops)
        #expect(try registry.authenticateAdmin(token: token) == "ops")
        #expect(try registry.authenticateAdmin(token: token + "x") == nil)
        #expect(try registry.authenticateAdmin(token: "") == nil)
        #expect(throws: RegistryError.self) { try registry.createAdminToken(ops) }
        try registry.revokeAdminToken(ops)
        #expect(try registry.authenticateAdmin(token: token) == nil)
        #expect(throws: RegistryError.self) { try registry.createAdminToken(ops) }
        #expect(throws: RegistryError.self) { try registry.revokeAdminToken(try NodeID(validating: "nobody")) }
        let listed = try registry.adminTokens()
        #expect(listed.map(\.name) == ["ops"] && listed[0].revokedAt != nil)
    }

    @Test func sessionHistoryKeepsTheLastFiftyPerNode() throws {
        let registry = try NodeRegistry.inMemory()
        let anna = try NodeID(validating: "anna")
        _ = try registry.addNode(anna)
        for index in 0..<60 {
            try registry.recordSession(SessionRecord(
                node: "anna", address: "127.0.0.1:\(index)", startedAt: Int64(index) * 1000, endedAt: Int64(index) * 1000 + 5,
                pushed: index, pulled: 1, outcome: index == 59 ? "seq_gap" : "ok", error: index == 59 ? "seq_gap: gap" : nil,
                waitingOperations: 7))
        }
        let sessions = try #require(try registry.sessions(of: anna))
        #expect(sessions.count == SessionRecord.historyLimit)
        #expect(sessions.first?.pushed == 59 && sessions.last?.pushed == 10, "newest first")
        #expect(try registry.sessions(of: try NodeID(validating: "nobody")) == nil)
        let columns = try #require(try registry.adminColumns()["anna"])
        #expect(columns.opsSent == 60 && columns.waitingOperations == 7 && columns.lastError == "seq_gap: gap")
    }

    @Test func everyValueOnThePageIsEscaped() {
        let hostile = "<script>alert('x')</script>\"&"
        let node = AdminNodeReport(
            node: "rep01", state: "active", connected: false, lastSeenAt: 0, lastSyncAt: nil, lastAddress: hostile,
            clientProtocol: 1, skewMillis: -1500, opsPushed: 1, opsPulled: 2, hubAhead: 3, waitingOnNode: 4, conflicts: 0,
            lastError: hostile)
        let report = AdminReport(hub: hostile, operations: 1, conflicts: 0, nodes: [node])
        let session = SessionRecord(
            node: "rep01", address: hostile, startedAt: 0, endedAt: 1, pushed: 0, pulled: 0, outcome: hostile, error: hostile,
            waitingOperations: 0)
        for html in [
            AdminPage.status(report: report, rows: [node], query: NodeQuery(), now: 0), AdminPage.node(node, sessions: [session]),
            AdminPage.signIn(message: hostile),
        ] {
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"))
        }
    }

    @Test func queryParametersAreCheckedAndOrderRows() throws {
        #expect(throws: AdminRequestError.self) { try NodeQuery(parameters: ["stale_hours": "-1"]) }
        #expect(throws: AdminRequestError.self) { try NodeQuery(parameters: ["stale_hours": "1e9"]) }
        #expect(throws: AdminRequestError.self) { try NodeQuery(parameters: ["sort": "name; DROP"]) }
        #expect(throws: AdminRequestError.self) { try NodeQuery(parameters: ["order": "up"]) }
        func row(_ name: String, sync: Int64?, waiting: UInt64) -> AdminNodeReport {
            AdminNodeReport(
                node: name, state: "active", connected: false, lastSeenAt: nil, lastSyncAt: sync, lastAddress: nil,
                clientProtocol: nil, skewMillis: nil, opsPushed: 0, opsPulled: 0, hubAhead: 0, waitingOnNode: waiting, conflicts: 0,
                lastError: nil)
        }
        let hour: Int64 = 3_600_000
        let now = 100 * hour
        let rows = [row("a", sync: now - hour, waiting: 1), row("b", sync: now - 30 * hour, waiting: 5), row("c", sync: nil, waiting: 2)]
        let query = try NodeQuery(parameters: ["stale_hours": "24", "sort": "waiting", "order": "desc"])
        #expect(query.apply(to: rows, now: now).map(\.node) == ["b", "c"])
        #expect(NodeQuery().apply(to: rows.reversed(), now: now).map(\.node) == ["a", "b", "c"])
    }

    @Test func nonLoopbackAdminHostsAreRefused() throws {
        #expect(throws: AdminServerError.self) { try AdminServerConfiguration(host: "0.0.0.0", port: 1).validated() }
        #expect(throws: AdminServerError.self) { try AdminServerConfiguration(host: "127.0.0.1.evil", port: 1).validated() }
        #expect(throws: AdminServerError.self) { try AdminServerConfiguration(host: "::", port: 1).validated() }
        _ = try AdminServerConfiguration(host: "127.0.0.1", port: 0).validated()
        _ = try AdminServerConfiguration(host: "::1", port: 0).validated()
        #expect(AdminServerError.nonLoopbackHost("0.0.0.0").description.contains("requires TLS"))
    }
}
