import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import LeadSyncStore
import NIOPosix

/// The hub's data on SQLite: a GRDB ``Store`` and a ``NodeRegistry``. GRDB is synchronous, so every
/// call runs on a dedicated thread pool, never on an event loop or the cooperative pool.
public struct SQLiteHubStore: HubStore {
    public let store: Store
    public let registry: NodeRegistry
    let threadPool: NIOThreadPool
    let now: @Sendable () -> Int64
    private let committer: GroupCommitter

    /// - Parameters:
    ///   - threadPool: an active pool that runs the blocking database work; its size bounds how
    ///     many sessions touch SQLite at once (writes are serialised by SQLite anyway).
    ///   - checkpointInterval: committed operations after which the WAL is copied into the main
    ///     file on another thread; for a store opened without automatic checkpoints.
    public init(
        store: Store, registry: NodeRegistry, threadPool: NIOThreadPool,
        now: @escaping @Sendable () -> Int64 = Store.systemMillis, checkpointInterval: Int = 25_000
    ) {
        self.store = store
        self.registry = registry
        self.threadPool = threadPool
        self.now = now
        committer = GroupCommitter(store: store, registry: registry, threadPool: threadPool, checkpointInterval: checkpointInterval)
    }

    /// The hub in `home`. `serving`: for a running hub, whose connections write statistics and
    /// checkpoint off the writer thread; false for a command that changes the hub and exits.
    public init(home: HubHome, threadPool: NIOThreadPool, serving: Bool = true) throws {
        self.init(
            store: try home.openStore(serving: serving), registry: try home.openRegistry(serving: serving), threadPool: threadPool)
    }

    private func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threadPool.runIfActive(body)
    }

    public func hubID() async throws -> String {
        try await offload { [registry] in try registry.hubID() }
    }

    public func clock() async throws -> VectorClock {
        try await offload { [store] in try store.clock() }
    }

    public func authenticate(node: NodeID, token: String) async throws -> AuthenticationResult {
        try await offload { [registry] in try registry.authenticate(node: node, token: token) }
    }

    public func apply(_ ops: [Op], bodies: [String]?, from node: NodeID) async throws(ProtocolError) -> ApplyResult {
        precondition(bodies == nil || bodies?.count == ops.count, "one body per operation")
        // Settings (the rules) are written by the hub alone; a replica never pushes one.
        do {
            try ReplicationRules.checkPush(ops)
        } catch {
            throw error.protocolError
        }
        // Encoded here, if need be, on the session's task, so the single writer thread does not.
        switch await committer.apply(ops, bodies: bodies ?? ops.map(\.json), from: node) {
        case .success(let result): return result
        case .failure(let error): throw error.protocolError
        }
    }

    public func operationBodies(
        missingFrom peer: VectorClock, after: Int64, limit: Int
    ) async throws -> [(position: Int64, body: String)] {
        let page = try await offload { [store] in
            try store.operationBodies(missingFrom: peer, after: after, limit: limit).map { LogEntry(position: $0.position, body: $0.body) }
        }
        return page.map { ($0.position, $0.body) }
    }

    public func sessionStarted(node: NodeID, address: String?, skewMillis: Int64, clock: VectorClock) async throws {
        try await offload { [registry] in
            try registry.sessionStarted(node: node, address: address, skewMillis: skewMillis, clock: clock)
        }
    }

    public func recordAcknowledged(node: NodeID, clock: VectorClock) async throws {
        try await offload { [registry] in try registry.recordAcknowledged(node: node, clock: clock) }
    }

    public func sessionEnded(node: NodeID, succeeded: Bool) async throws {
        try await offload { [registry] in try registry.sessionEnded(node: node, succeeded: succeeded) }
    }

    public func resetConnections() async throws {
        try await offload { [registry] in try registry.resetConnections() }
    }

    public func status() async throws -> HubStatus {
        try await offload { [store, registry] in try Self.status(store: store, registry: registry) }
    }

    /// Builds the report synchronously; also used by `hub status` without a running server.
    public static func status(store: Store, registry: NodeRegistry) throws -> HubStatus {
        let clock = try store.clock()
        let counts = try store.counts()
        var conflictsByNode: [NodeID: Set<String>] = [:]
        for conflict in try store.conflicts() {
            let key = "\(conflict.record.rawValue)/\(conflict.field)"
            for node in [conflict.winner.origin.node, conflict.loser.origin.node] {
                conflictsByNode[node, default: []].insert(key)
            }
        }
        let nodes = try registry.nodes().map { record in
            NodeStatus(record: record, hubClock: clock, conflicts: conflictsByNode[record.node]?.count ?? 0)
        }
        return HubStatus(
            hub: try registry.hubID(), operations: counts.operations, leads: counts.leads + counts.deleted,
            conflicts: Set(try store.conflicts().map { "\($0.record.rawValue)/\($0.field)" }).count,
            clock: clock, nodes: nodes)
    }
}

/// A sendable page entry (tuples of sendable values cross the thread pool boundary awkwardly).
private struct LogEntry: Sendable {
    let position: Int64
    let body: String
}
