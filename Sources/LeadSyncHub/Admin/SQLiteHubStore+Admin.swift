import Foundation
import LeadSyncStore
import NIOPosix
import LeadSyncCore

extension SQLiteHubStore {
    public func recordContact(node: NodeID, clientProtocol: Int, clientVersion: String?, waitingOperations: UInt64) async throws {
        try await threadPool.runIfActive { [registry] in
            try registry.recordContact(
                node: node, clientProtocol: clientProtocol, clientVersion: clientVersion, waitingOperations: waitingOperations)
        }
    }

    public func recordSession(_ session: SessionRecord) async throws {
        try await threadPool.runIfActive { [registry] in try registry.recordSession(session) }
    }

    public func adminReport() async throws -> AdminReport {
        try await threadPool.runIfActive { [store, registry] in try Self.adminReport(store: store, registry: registry) }
    }

    public func sessions(of node: NodeID) async throws -> [SessionRecord]? {
        try await threadPool.runIfActive { [registry] in try registry.sessions(of: node) }
    }

    public func authenticateAdmin(token: String) async throws -> String? {
        try await threadPool.runIfActive { [registry] in try registry.authenticateAdmin(token: token) }
    }

    public func storageBytes() async throws -> Int64 {
        let path = store.path
        return try await threadPool.runIfActive {
            ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
                let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value
                return total + (size ?? 0)
            }
        }
    }

    /// The hub status joined with the registry's admin columns.
    static func adminReport(store: Store, registry: NodeRegistry) throws -> AdminReport {
        let status = try status(store: store, registry: registry)
        let columns = try registry.adminColumns()
        let nodes = status.nodes.map { node in
            let extra = columns[node.node]
            return AdminNodeReport(
                node: node.node, state: node.revoked ? "revoked" : "active", connected: node.connected,
                lastSeenAt: extra?.lastSeenAt, lastSyncAt: node.lastSyncAt, lastAddress: node.lastAddress,
                clientProtocol: extra?.clientProtocol, clientVersion: extra?.clientVersion, skewMillis: node.skewMillis, opsPushed: node.opsReceived,
                opsPulled: extra?.opsSent ?? 0, hubAhead: node.lag, waitingOnNode: extra?.waitingOperations ?? 0,
                conflicts: node.conflicts, lastError: extra?.lastError)
        }
        return AdminReport(hub: status.hub, operations: status.operations, conflicts: status.conflicts, nodes: nodes)
    }
}
