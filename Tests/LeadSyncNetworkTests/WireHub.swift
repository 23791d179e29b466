import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncHubSQLite
import LeadSyncStore
import LeadSyncTestSupport
import NIOPosix

/// The hub backends the wire convergence test runs against.
enum WireBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    var description: String { rawValue }
}

/// A fresh, empty hub of one backend, as a wire scenario needs it.
protocol WireHub: Sendable {
    var store: any HubStore { get }
    func addNode(_ node: NodeID) async throws -> String
    /// Waits (bounded) until the hub has ended every session of `node`; false on timeout.
    func waitUntilDisconnected(_ node: NodeID) async throws -> Bool
    /// Whether an open conflict exists on the hub (or, for a hub without lead state, on a replica).
    func hasConflicts(replicas: [Store]) async throws -> Bool
    /// The op log as `origin#seq`, one entry per log row (a repeat means an op stored twice).
    func operationLog() async throws -> [String]
    /// Every logged operation, in log order.
    func operations() async throws -> [Op]
    /// The hub's materialised state, or nil when it keeps none to compare.
    func state() throws -> ReplicaState?
    /// Where the hub's own state differs from the reference model.
    func referenceDifferences(_ reference: ReferenceModel) async throws -> [String]
}

/// The SQLite hub: an in-memory store and registry.
struct SQLiteWireHub: WireHub {
    let hubStore: Store
    let registry: NodeRegistry
    let store: any HubStore

    init(threadPool: NIOThreadPool) throws {
        hubStore = try Store.inMemory()
        registry = try NodeRegistry.inMemory()
        store = SQLiteHubStore(store: hubStore, registry: registry, threadPool: threadPool)
    }

    func addNode(_ node: NodeID) async throws -> String { try registry.addNode(node) }

    func waitUntilDisconnected(_ node: NodeID) async throws -> Bool { try await registry.waitUntilDisconnected(node) }

    func hasConflicts(replicas: [Store]) async throws -> Bool { try hubStore.counts().conflicts > 0 }

    func operationLog() async throws -> [String] { try hubStore.operationLog().map { "\($0.origin)#\($0.seq)" } }

    func operations() async throws -> [Op] { try hubStore.operations(missingFrom: VectorClock()) }

    func state() throws -> ReplicaState? { try ReplicaState(hubStore) }

    func referenceDifferences(_ reference: ReferenceModel) async throws -> [String] {
        try reference.differences(from: hubStore, label: "hub")
    }
}

/// The PostgreSQL hub: one database per test partition, emptied for each scenario.
struct PostgresWireHub: WireHub {
    let postgres: PostgresHubStore
    var store: any HubStore { postgres }

    init(store: PostgresHubStore) async throws {
        postgres = store
        try await store.database.executeUnsafe("TRUNCATE actor, op, lead, register_set, node, node_connection, session, admin_token")
    }

    func addNode(_ node: NodeID) async throws -> String { try await postgres.addNode(node) }

    func waitUntilDisconnected(_ node: NodeID) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            if try await postgres.nodes().first(where: { $0.node == node })?.connected ?? 0 == 0 { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    func hasConflicts(replicas: [Store]) async throws -> Bool {
        try await postgres.status().conflicts > 0
    }

    func operationLog() async throws -> [String] {
        try await postgres.operationLog().map { "\($0.origin)#\($0.seq)" }
    }

    func operations() async throws -> [Op] {
        let decoder = JSONDecoder()
        return try await postgres.operationBodies(missingFrom: VectorClock(), after: 0, limit: .max).map {
            try decoder.decode(Op.self, from: Data($0.body.utf8))
        }
    }

    func state() throws -> ReplicaState? { nil }

    /// The hub keeps lead presence and registers, not lead rows to compare field by field: its
    /// lead count (erased tombstones included) and its open conflicts must match the model's.
    func referenceDifferences(_ reference: ReferenceModel) async throws -> [String] {
        let status = try await postgres.status()
        var failures: [String] = []
        if status.leads != reference.leads.count + reference.erased.count {
            failures.append("hub: \(status.leads) leads, reference \(reference.leads.count) + \(reference.erased.count) erased")
        }
        // The model lists a conflict per losing version; the hub counts conflicted registers.
        let registers = Set(reference.conflicts.map { "\($0.record.rawValue)/\($0.field)" }).count
        if status.conflicts != registers {
            failures.append("hub: \(status.conflicts) registers in conflict, reference \(registers)")
        }
        return failures
    }
}
