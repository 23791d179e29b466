import LeadSyncCore

/// The replica's side of one session, as a value-type state machine (see ``HubSession`` for the
/// driving pattern). Push first — everything of this node's actors the hub's clock lacks, in
/// batches, with up to ``pushWindow`` of them sent before their `ack` arrives — then `done`, then
/// pull until the hub's `done`.
public struct ClientSession: Sendable {
    public enum Action: Sendable, Hashable {
        /// Write the message, then wait for the next line.
        case send(Message)
        /// Read the next page of the local op log the hub lacks; answer with ``fetched(_:)``.
        case fetch(missingFrom: VectorClock, after: Int64, limit: Int)
        /// Write an `ops` line of these wire bodies; answer with ``sentOps()``.
        case sendOps(bodies: [String])
        /// Wait for the hub's next line (the `ack` of a batch in flight).
        case awaitLine
        /// Commit the pulled batch; answer with ``applied(clock:applied:)`` or ``rejected(_:)``.
        case apply([Op])
        /// The hub said `done`: the session succeeded. Close the connection.
        case finish
        /// The session failed. When `notifyHub` is set, write the error to the hub first; then close.
        case fail(ProtocolError, notifyHub: Bool)
    }

    private enum State: Sendable {
        case idle
        case awaitingWelcome
        /// The operation counts of the batches sent and not yet acknowledged (oldest first), the log
        /// position the next fetch starts after, whether a fetch is under way, and whether the log
        /// has no more to push.
        case pushing(inFlight: [Int], after: Int64, fetching: Bool, exhausted: Bool)
        case pulling
        case applying([Op])
        case finished
        case failed
    }

    private var state: State = .idle
    private let hello: Hello
    /// How many batches may be sent before the oldest is acknowledged (the protocol's maximum):
    /// while the hub applies one, the client reads and sends the next.
    public static let pushWindow = 2
    /// The most operations in a push's first batch: a small batch reaches the hub soon, so the hub
    /// merges it while the client reads and sends the next, full-sized ones.
    public static let firstBatchOps = 200
    private var limits: Limits
    /// The hub as the session has come to know it.
    public private(set) var welcome: Welcome?
    /// Everything the hub is known to have: its welcome clock, its acks, and every op it sent.
    public private(set) var hubClock = VectorClock()
    /// Operations pushed and acknowledged.
    public private(set) var sent = 0
    /// Operations pulled that were new here.
    public private(set) var received = 0
    /// Batches pushed and pulled, for progress reporting.
    public private(set) var batches = 0

    /// - Parameters:
    ///   - hello: the opening message: identity, token, the replica's full clock and wall time.
    ///   - limits: the client's own batch limits; narrowed to the hub's once it answers.
    public init(hello: Hello, limits: Limits = Limits()) {
        self.hello = hello
        self.limits = limits
    }

    /// Hub wall clock minus the replica's, in milliseconds, measured across one round trip.
    public var skewMillis: Int64? {
        welcome.map { $0.wall - hello.wall }
    }

    public var isFinished: Bool {
        switch state {
        case .finished, .failed: true
        default: false
        }
    }

    /// Opens the session.
    public mutating func start() -> Action {
        guard case .idle = state else { return fail(.internal, "session already started", notify: false) }
        state = .awaitingWelcome
        return .send(.hello(hello))
    }

    /// A line from the hub decoded into `message`.
    public mutating func receive(_ message: Message) -> Action {
        if case .error(let error) = message {
            state = .failed
            return .fail(error, notifyHub: false)
        }
        switch (state, message) {
        case (.awaitingWelcome, .welcome(let welcome)):
            guard welcome.protocol == ProtocolVersion.current else {
                return fail(.protocolMismatch, "this client speaks protocol \(ProtocolVersion.current), the hub \(welcome.protocol)")
            }
            self.welcome = welcome
            hubClock = welcome.clock
            limits = limits.narrowed(to: welcome.limits)
            state = .pushing(inFlight: [], after: 0, fetching: true, exhausted: false)
            return .fetch(missingFrom: pushBase, after: 0, limit: min(limits.maxBatchOps, Self.firstBatchOps))
        case (.pushing(var inFlight, let after, false, let exhausted), .ack(let clock)) where !inFlight.isEmpty:
            hubClock = hubClock.merging(clock)
            sent += inFlight.removeFirst()
            batches += 1
            return nextPush(inFlight: inFlight, after: after, exhausted: exhausted)
        case (.pulling, .ops(let ops)):
            // The hub sizes its batches by the limits it announced, not by ours.
            let announced = welcome?.limits.maxBatchOps ?? limits.maxBatchOps
            guard ops.count <= announced else {
                return fail(.batchTooLarge, "a batch holds at most \(announced) operations, got \(ops.count)")
            }
            state = .applying(ops)
            return .apply(ops)
        case (.pulling, .done):
            state = .finished
            return .finish
        case (.finished, _), (.failed, _):
            return .fail(ProtocolError(.unexpectedMessage, "message after the session ended"), notifyHub: false)
        default:
            return fail(.unexpectedMessage, "'\(message.type)' is not expected \(phase)")
        }
    }

    /// The next page of local operations the hub lacks, in apply order; empty when all are pushed.
    public mutating func fetched(_ entries: [(position: Int64, body: String)]) -> Action {
        guard case .pushing(var inFlight, let after, true, _) = state else { return fail(.internal, "fetch result out of order") }
        guard let batch = OutgoingBatch.prefix(of: entries, maxOps: limits.maxBatchOps, maxBytes: limits.maxBatchBytes)
        else {
            return nextPush(inFlight: inFlight, after: after, exhausted: true)
        }
        inFlight.append(batch.bodies.count)
        state = .pushing(inFlight: inFlight, after: batch.lastPosition, fetching: false, exhausted: false)
        return .sendOps(bodies: batch.bodies)
    }

    /// The `ops` line of ``Action/sendOps(bodies:)`` is written.
    public mutating func sentOps() -> Action {
        guard case .pushing(let inFlight, let after, false, let exhausted) = state, !inFlight.isEmpty else {
            return fail(.internal, "sent batch out of order")
        }
        return nextPush(inFlight: inFlight, after: after, exhausted: exhausted)
    }

    /// While pushing and not fetching: read the next page if the window has room, say `done` once
    /// everything is pushed and acknowledged, or else wait for an `ack`.
    private mutating func nextPush(inFlight: [Int], after: Int64, exhausted: Bool) -> Action {
        if exhausted, inFlight.isEmpty {
            state = .pulling
            return .send(.done)
        }
        if !exhausted, inFlight.count < Self.pushWindow {
            state = .pushing(inFlight: inFlight, after: after, fetching: true, exhausted: false)
            return .fetch(missingFrom: pushBase, after: after, limit: limits.maxBatchOps)
        }
        state = .pushing(inFlight: inFlight, after: after, fetching: false, exhausted: exhausted)
        return .awaitLine
    }

    /// The pulled batch is committed locally; `applied` of its operations were new.
    public mutating func applied(clock: VectorClock, applied: Int) -> Action {
        guard case .applying(let ops) = state else { return fail(.internal, "apply result out of order") }
        for op in ops where hubClock[op.origin] < op.seq {
            hubClock[op.origin] = op.seq
        }
        received += applied
        batches += 1
        state = .pulling
        return .send(.ack(clock))
    }

    /// The local store refused the pulled batch; the hub is told why.
    public mutating func rejected(_ error: ProtocolError) -> Action {
        fail(error.code, error.message)
    }

    /// The transport failed (bad line from the hub, timeout); the hub is told when it can be.
    public mutating func failed(_ error: ProtocolError) -> Action {
        fail(error.code, error.message)
    }

    /// What to push: everything the hub lacks, except operations of other nodes' actors, which the
    /// hub would refuse (`foreign_origin`) and which only the hub itself can have sent here.
    private var pushBase: VectorClock {
        var base = hubClock
        for (actor, seq) in hello.clock.entries where actor.node != hello.node && base[actor] < seq {
            base[actor] = seq
        }
        return base
    }

    private mutating func fail(_ code: ErrorCode, _ message: String, notify: Bool = true) -> Action {
        state = .failed
        return .fail(ProtocolError(code, message), notifyHub: notify)
    }

    private var phase: String {
        switch state {
        case .idle, .awaitingWelcome: "before the hub's 'welcome'"
        case .pushing: "while pushing (expected 'ack')"
        case .pulling, .applying: "while pulling (expected 'ops' or 'done')"
        case .finished, .failed: "after the session ended"
        }
    }
}
