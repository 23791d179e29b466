import LeadSyncCore
import LeadSyncHub
import LeadSyncStore
import NIOPosix

/// The hub's administration on SQLite: the registry in `nodes.sqlite`, settings in `hub.sqlite`.
extension SQLiteHubStore: HubAdministration {
    public func addNode(_ node: NodeID, reissue: Bool) async throws -> String {
        try await threadPool.runIfActive { [registry] in try registry.addNode(node, reissue: reissue) }
    }

    public func revokeNode(_ node: NodeID) async throws {
        try await threadPool.runIfActive { [registry] in try registry.revokeNode(node) }
    }

    public func nodes() async throws -> [NodeRecord] {
        try await threadPool.runIfActive { [registry] in try registry.nodes() }
    }

    public func replicatedSetting(_ name: String) async throws -> String? {
        try await threadPool.runIfActive { [store] in try store.replicatedSetting(name) }
    }

    public func publishSetting(name: String, value: String) async throws -> Op? {
        try await threadPool.runIfActive { [store] in
            try HubHome.ensureHubIdentity(of: store)
            return try store.publishSetting(name: name, value: value)
        }
    }

    public func createAdminToken(_ name: NodeID) async throws -> String {
        try await threadPool.runIfActive { [registry] in try registry.createAdminToken(name) }
    }

    public func revokeAdminToken(_ name: NodeID) async throws {
        try await threadPool.runIfActive { [registry] in try registry.revokeAdminToken(name) }
    }

    public func adminTokens() async throws -> [AdminTokenRecord] {
        try await threadPool.runIfActive { [registry] in try registry.adminTokens() }
    }
}
