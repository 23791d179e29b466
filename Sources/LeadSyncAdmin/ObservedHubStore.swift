import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncStore

/// A ``HubStore`` that counts what passes through it into ``HubMetrics``, so the sync server
/// needs no knowledge of metrics: wrap the real store and hand this one to the server.
public struct ObservedHubStore: HubStore {
    public let base: any HubStore
    public let metrics: HubMetrics

    public init(_ base: any HubStore, metrics: HubMetrics) {
        self.base = base
        self.metrics = metrics
    }

    public func hubID() async throws -> String { try await base.hubID() }

    public func clock() async throws -> VectorClock { try await base.clock() }

    public func authenticate(node: NodeID, token: String) async throws -> AuthenticationResult {
        let result = try await base.authenticate(node: node, token: token)
        if result != .accepted { metrics.authenticationFailed(reason: result) }
        return result
    }

    public func apply(_ ops: [Op], bodies: [String]?, from node: NodeID) async throws(ProtocolError) -> ApplyResult {
        let start = ContinuousClock.now
        do {
            let result = try await base.apply(ops, bodies: bodies, from: node)
            if !ops.isEmpty { metrics.pushed(operations: result.applied, nanoseconds: Self.nanoseconds(since: start)) }
            return result
        } catch {
            metrics.refused(code: error.code.rawValue, operations: ops.count)
            throw error
        }
    }

    public func operationBodies(
        missingFrom peer: VectorClock, after: Int64, limit: Int
    ) async throws -> [(position: Int64, body: String)] {
        let start = ContinuousClock.now
        let page = try await base.operationBodies(missingFrom: peer, after: after, limit: limit)
        metrics.pulled(operations: page.count, nanoseconds: Self.nanoseconds(since: start))
        return page
    }

    public func sessionStarted(node: NodeID, address: String?, skewMillis: Int64, clock: VectorClock) async throws {
        try await base.sessionStarted(node: node, address: address, skewMillis: skewMillis, clock: clock)
    }

    public func recordAcknowledged(node: NodeID, clock: VectorClock) async throws {
        try await base.recordAcknowledged(node: node, clock: clock)
    }

    public func sessionEnded(node: NodeID, succeeded: Bool) async throws {
        try await base.sessionEnded(node: node, succeeded: succeeded)
    }

    public func resetConnections() async throws { try await base.resetConnections() }

    public func status() async throws -> HubStatus { try await base.status() }

    public func recordContact(node: NodeID, clientProtocol: Int, clientVersion: String?, waitingOperations: UInt64) async throws {
        try await base.recordContact(
            node: node, clientProtocol: clientProtocol, clientVersion: clientVersion, waitingOperations: waitingOperations)
    }

    public func recordSession(_ session: SessionRecord) async throws {
        metrics.sessionEnded(outcome: session.outcome)
        try await base.recordSession(session)
    }

    public func adminReport() async throws -> AdminReport { try await base.adminReport() }

    public func sessions(of node: NodeID) async throws -> [SessionRecord]? { try await base.sessions(of: node) }

    public func authenticateAdmin(token: String) async throws -> String? { try await base.authenticateAdmin(token: token) }

    public func storageBytes() async throws -> Int64 { try await base.storageBytes() }

    static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }
}
