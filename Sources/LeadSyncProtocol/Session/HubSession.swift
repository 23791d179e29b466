import LeadSyncCore

/// The hub's side of one session, as a value-type state machine: the driver (the network layer)
/// feeds it messages and the results of the effects it asked for, and performs the actions it
/// returns. It never touches a socket or a database, so every path is testable without either.
///
/// Flow: `hello` → authenticate → `welcome`; then `ops` → apply → `ack`, repeated, until the
/// client's `done`; then fetch → `ops`, with up to ``pullWindow`` batches sent before their `ack`
/// arrives, until nothing is left and every batch is acknowledged → `done`.
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
        /// Write an `ops` line made of these wire bodies, then call ``sentOps()``.
        case sendOps(bodies: [String])
        /// Wait for the next line (an `ack` while pulled batches are unacknowledged).
        case awaitLine
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
        /// Sending the pull: `after` is the last position sent, `unacknowledged` the batches sent
        /// and not yet acknowledged, `exhausted` whether the log had nothing more to send.
        case sending(Hello, after: Int64, unacknowledged: Int, fetching: Bool, exhausted: Bool)
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
    /// How many pulled batches may be sent before the oldest is acknowledged (the protocol's
    /// maximum): while the client applies one, the hub reads and sends the next.
    public static let pullWindow = 2

    public init(hubID: String, limits: Limits) {
        self.hubID = hubID
        self.limits = limits
    }

    /// The authenticated node, once the hub has welcomed it.
    public var node: NodeID? {
        switch state {
        case .receiving(let hello), .applying(let hello), .sending(let hello, _, _, _, _):
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
            return nextPull(hello, after: 0, unacknowledged: 0, exhausted: false)
        case (.sending(let hello, let after, let unacknowledged, false, let exhausted), .ack(let clock)) where unacknowledged > 0:
            clientClock = (clientClock ?? VectorClock()).merging(clock)
            return nextPull(hello, after: after, unacknowledged: unacknowledged - 1, exhausted: exhausted)
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
        guard case .sending(let hello, let after, let unacknowledged, true, _) = state else { return unexpectedEffect() }
        guard let batch = OutgoingBatch.prefix(of: entries, maxOps: limits.maxBatchOps, maxBytes: limits.maxBatchBytes)
        else {
            return nextPull(hello, after: after, unacknowledged: unacknowledged, exhausted: true)
        }
        opsSent += batch.bodies.count
        state = .sending(hello, after: batch.lastPosition, unacknowledged: unacknowledged + 1, fetching: false, exhausted: false)
        return .sendOps(bodies: batch.bodies)
    }

    /// The `ops` line of ``Action/sendOps(bodies:)`` is written.
    public mutating func sentOps() -> Action {
        guard case .sending(let hello, let after, let unacknowledged, false, false) = state, unacknowledged > 0 else {
            return unexpectedEffect()
        }
        return nextPull(hello, after: after, unacknowledged: unacknowledged, exhausted: false)
    }

    /// While pulling and not fetching: read the next page if the window has room, say `done` once
    /// the log is exhausted and every batch acknowledged, or else wait for an `ack`.
    private mutating func nextPull(_ hello: Hello, after: Int64, unacknowledged: Int, exhausted: Bool) -> Action {
        if exhausted, unacknowledged == 0 {
            state = .finished
            return .finish(.done)
        }
        if !exhausted, unacknowledged < Self.pullWindow {
            state = .sending(hello, after: after, unacknowledged: unacknowledged, fetching: true, exhausted: false)
            return .fetch(missingFrom: hello.clock, after: after, limit: limits.maxBatchOps)
        }
        state = .sending(hello, after: after, unacknowledged: unacknowledged, fetching: false, exhausted: exhausted)
        return .awaitLine
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
        case .sending: "while the hub sends (expected 'ack')"
        case .finished: "after the session ended"
        }
    }
}
