import LeadSyncCore

/// The hub's side of one session, as a value-type state machine: the driver (the network layer)
/// feeds it messages and the results of the effects it asked for, and performs the actions it
/// returns. It never touches a socket or a database, so every path is testable without either.
///
/// Flow: `hello` → authenticate → `welcome`; then `ops` → apply → `ack`, repeated, until the
/// client's `done`; then fetch → `ops` → wait for `ack`, repeated, until nothing is left → `done`.
public struct HubSession: Sendable {
    public enum Action: Sendable, Hashable {
        /// Check the node's token; answer with ``authenticated(hubClock:wall:)`` or ``refused(_:)``.
        case authenticate(Hello)
        /// Commit the batch, accepting only actors of `node`; answer with ``applied(clock:)`` or ``rejected(_:)``.
        case apply([Op], node: NodeID)
        /// Read the next page of the op log the client lacks; answer with ``fetched(_:)``.
        case fetch(missingFrom: VectorClock, after: Int64, limit: Int)
        /// Write the message, then wait for the next line.
        case send(Message)
        /// Write an `ops` line made of these wire bodies, then wait for the client's `ack`.
        case sendOps(bodies: [String])
        /// Write the message (`done` or `error`), then close the connection.
        case finish(Message)
        /// Close without writing: the session is over (the peer sent `error`, or it already ended).
        case close
    }

    private enum State: Sendable {
        case awaitingHello
        case authenticating(Hello)
        case receiving(Hello)
        case applying(Hello)
        case fetching(Hello, after: Int64)
        case awaitingAck(Hello, lastPosition: Int64)
        case finished
    }

    private var state: State = .awaitingHello
    public let hubID: String
    public let limits: Limits
    /// The client's clock as last reported: its `hello`, then each `ack`.
    public private(set) var clientClock: VectorClock?
    /// Operations the client pushed that the hub had not seen before.
    public private(set) var opsReceived = 0
    /// Operations sent to the client.
    public private(set) var opsSent = 0

    public init(hubID: String, limits: Limits) {
        self.hubID = hubID
        self.limits = limits
    }

    /// The authenticated node, once the hub has welcomed it.
    public var node: NodeID? {
        switch state {
        case .receiving(let hello), .applying(let hello), .fetching(let hello, _), .awaitingAck(let hello, _):
            hello.node
        case .awaitingHello, .authenticating, .finished:
            nil
        }
    }

    /// True once the session has ended, cleanly or not.
    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// A line arrived and decoded into `message`.
    public mutating func receive(_ message: Message) -> Action {
        if case .error = message {
            state = .finished
            return .close
        }
        switch (state, message) {
        case (.awaitingHello, .hello(let hello)):
            guard hello.protocol == ProtocolVersion.current else {
                return fail(.protocolMismatch, "this hub speaks protocol \(ProtocolVersion.current), the client \(hello.protocol)")
            }
            guard hello.actor.node == hello.node else {
                return fail(.unauthorized, "actor '\(hello.actor)' does not belong to node '\(hello.node)'")
            }
            state = .authenticating(hello)
            clientClock = hello.clock
            return .authenticate(hello)
        case (.awaitingHello, _):
            return fail(.helloRequired, "the first message must be 'hello', got '\(message.type)'")
        case (.receiving(let hello), .ops(let ops)):
            guard ops.count <= limits.maxBatchOps else {
                return fail(.batchTooLarge, "a batch holds at most \(limits.maxBatchOps) operations, got \(ops.count)")
            }
            state = .applying(hello)
            return .apply(ops, node: hello.node)
        case (.receiving(let hello), .done):
            state = .fetching(hello, after: 0)
            return .fetch(missingFrom: hello.clock, after: 0, limit: limits.maxBatchOps)
        case (.awaitingAck(let hello, let lastPosition), .ack(let clock)):
            clientClock = (clientClock ?? VectorClock()).merging(clock)
            state = .fetching(hello, after: lastPosition)
            return .fetch(missingFrom: hello.clock, after: lastPosition, limit: limits.maxBatchOps)
        case (.finished, _):
            return .close
        default:
            return fail(.unexpectedMessage, "'\(message.type)' is not expected \(phase)")
        }
    }

    /// The token matched: welcome the client.
    public mutating func authenticated(hubClock: VectorClock, wall: Int64) -> Action {
        guard case .authenticating(let hello) = state else { return unexpectedEffect() }
        state = .receiving(hello)
        return .send(.welcome(Welcome(hub: hubID, clock: hubClock, wall: wall, limits: limits)))
    }

    /// Authentication failed (`unauthorized`, `revoked`) or could not be checked.
    public mutating func refused(_ error: ProtocolError) -> Action {
        fail(error.code, error.message)
    }

    /// The batch is committed; `applied` of its operations were new.
    public mutating func applied(clock: VectorClock, applied: Int) -> Action {
        guard case .applying(let hello) = state else { return unexpectedEffect() }
        opsReceived += applied
        state = .receiving(hello)
        return .send(.ack(clock))
    }

    /// The store refused the batch (nothing of it was applied).
    public mutating func rejected(_ error: ProtocolError) -> Action {
        fail(error.code, error.message)
    }

    /// The next page of the log the client lacks, in apply order; empty when there is no more.
    public mutating func fetched(_ entries: [(position: Int64, body: String)]) -> Action {
        guard case .fetching(let hello, _) = state else { return unexpectedEffect() }
        guard let batch = OutgoingBatch.prefix(of: entries, maxOps: limits.maxBatchOps, maxBytes: limits.maxBatchBytes)
        else {
            state = .finished
            return .finish(.done)
        }
        opsSent += batch.bodies.count
        state = .awaitingAck(hello, lastPosition: batch.lastPosition)
        return .sendOps(bodies: batch.bodies)
    }

    /// The transport failed the session: a bad line, a timeout, shutdown. Sends `error` and closes.
    public mutating func failed(_ error: ProtocolError) -> Action {
        if case .finished = state { return .close }
        return fail(error.code, error.message)
    }

    private mutating func fail(_ code: ErrorCode, _ message: String) -> Action {
        state = .finished
        return .finish(.error(ProtocolError(code, message)))
    }

    private mutating func unexpectedEffect() -> Action {
        fail(.internal, "hub session received an effect result out of order")
    }

    private var phase: String {
        switch state {
        case .awaitingHello, .authenticating: "before the session is established"
        case .receiving, .applying: "while the hub receives (expected 'ops' or 'done')"
        case .fetching, .awaitingAck: "while the hub sends (expected 'ack')"
        case .finished: "after the session ended"
        }
    }
}
