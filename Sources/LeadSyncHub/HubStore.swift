import LeadSyncCore
import LeadSyncProtocol
import LeadSyncStore

/// Everything the hub server needs from its data, as one seam: the replicated op store and the node
/// registry. The server only talks to this protocol, so a PostgreSQL-backed hub (several hub
/// processes over one database) is a second conformance, not a rewrite of the handlers.
///
/// Methods are `async` so implementations do their blocking I/O off the event loops.
public protocol HubStore: Sendable {
    /// The id announced in `welcome`.
    func hubID() async throws -> String
    /// The hub's vector clock.
    func clock() async throws -> VectorClock
    func authenticate(node: NodeID, token: String) async throws -> AuthenticationResult
    /// Commits a batch pushed by `node` atomically, accepting only its own actors' operations, and
    /// counts the applied ones in the node's statistics; returns only after the commit. Throws a
    /// ``ProtocolError`` (foreign_origin, seq_gap, missing_dependency, invalid_op, internal) and
    /// applies nothing when any operation is refused. `bodies`: each operation's text as received,
    /// stored as its log body (peers forward operations byte-for-byte); nil to encode them.
    func apply(_ ops: [Op], bodies: [String]?, from node: NodeID) async throws(ProtocolError) -> ApplyResult
    /// A page of the op log a peer with clock `peer` lacks, in apply order, after log position `after`.
    func operationBodies(missingFrom peer: VectorClock, after: Int64, limit: Int) async throws -> [(position: Int64, body: String)]

    // Statistics: best effort, a failure to record them never fails a session.
    func sessionStarted(node: NodeID, address: String?, skewMillis: Int64, clock: VectorClock) async throws
    func recordAcknowledged(node: NodeID, clock: VectorClock) async throws
    func sessionEnded(node: NodeID, succeeded: Bool) async throws
    func resetConnections() async throws

    /// The per-node report `leadsync hub status` prints.
    func status() async throws -> HubStatus

    // Admin server (LeadSyncAdmin): contacts and session history, and the reads behind its pages.
    /// A `hello` was accepted; `waitingOperations`: what the node held that the hub lacked.
    func recordContact(node: NodeID, clientProtocol: Int, clientVersion: String?, waitingOperations: UInt64) async throws
    /// A session of an authenticated node ended; kept in its bounded history.
    func recordSession(_ session: SessionRecord) async throws
    /// Every node's row for the admin page and API.
    func adminReport() async throws -> AdminReport
    /// A node's recent sessions, newest first; nil for an unknown node.
    func sessions(of node: NodeID) async throws -> [SessionRecord]?
    /// The name of the valid admin token `token` is, or nil.
    func authenticateAdmin(token: String) async throws -> String?
    /// Bytes the op store occupies (database and log files).
    func storageBytes() async throws -> Int64
}

extension StoreError {
    /// The protocol error a refused remote batch is answered with.
    public var protocolError: ProtocolError {
        switch self {
        case .seqGap: ProtocolError(.seqGap, description)
        case .missingDependency: ProtocolError(.missingDependency, description)
        case .foreignOrigin: ProtocolError(.foreignOrigin, description)
        case .unknownRecord, .invalidInput, .unknownLead: ProtocolError(.invalidOp, description)
        case .notInitialized, .alreadyInitialized, .ambiguousPrefix, .corrupt, .database, .diskFull:
            ProtocolError(.internal, "the receiver could not store the batch; retry later")
        }
    }
}
