import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A reader that follows the op log by position alone (the cursor a session pages with), while
/// six replicas push through two processes at once: every page it reads starts right after its
/// cursor and has no holes, and it ends with every operation. If positions could commit out of
/// order (a sequence), a late-committing lower position would show up here as a hole or a skip.
@Suite(.timeLimit(.minutes(3))) struct PostgresCursorTests {
    @Test func aPositionCursorNeverSkipsUnderConcurrentCommits() async throws {
        try await withPostgresTestDatabase { database in
            let a = try await PostgresHubStore.initialize(database.location)
            let b = try await PostgresHubStore.open(database.location)
            var pushers: [(node: NodeID, batches: [[Op]])] = []
            for index in 0..<6 {
                let node = try NodeID(validating: "rep\(index)")
                let replica = try TestReplica(node: node, token: try await a.addNode(node))
                try replica.addLeads(30)
                let ops = try replica.store.operations(missingFrom: VectorClock())
                pushers.append((node, stride(from: 0, to: ops.count, by: 3).map { Array(ops[$0..<min($0 + 3, ops.count)]) }))
            }
            let expected = pushers.reduce(0) { $0 + $1.batches.joined().count }

            let read = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, pusher) in pushers.enumerated() {
                    let hub = index.isMultiple(of: 2) ? a : b
                    group.addTask {
                        for batch in pusher.batches { _ = try await hub.apply(batch, bodies: nil, from: pusher.node) }
                        return []
                    }
                }
                group.addTask { try await Self.follow(b, until: expected) }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let log = try await a.operationLog().map { "\($0.origin)#\($0.seq)" }
            #expect(log.count == expected)
            #expect(read == log, "the cursor read \(read.count) of \(log.count) operations, or in another order")
            await a.close()
            await b.close()
        }
    }

    /// Pages through the log after a position cursor until `count` operations were read (at most
    /// 20,000 pages); records an issue for a page that does not start right after the cursor or
    /// has a hole.
    private static func follow(_ hub: PostgresHubStore, until count: Int) async throws -> [String] {
        var cursor: Int64 = 0
        var read: [String] = []
        let decoder = JSONDecoder()
        for _ in 0..<20_000 where read.count < count {
            let page = try await hub.operationBodies(missingFrom: VectorClock(), after: cursor, limit: 16)
            if page.isEmpty {
                try await Task.sleep(for: .milliseconds(1))
                continue
            }
            let positions = page.map(\.position)
            #expect(positions == Array((cursor + 1)...(cursor + Int64(page.count))), "after \(cursor): \(positions)")
            for entry in page {
                let op = try decoder.decode(Op.self, from: Data(entry.body.utf8))
                read.append("\(op.origin)#\(op.seq)")
            }
            cursor = positions.last ?? cursor
        }
        return read
    }
}
