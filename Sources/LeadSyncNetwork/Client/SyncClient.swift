import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import Logging
import NIOCore
import NIOPosix

/// Syncs one replica with a hub: connect, `hello`, push what the hub lacks in acknowledged batches,
/// pull what the replica lacks, acknowledging each batch only after it is committed.
///
/// ```swift
/// let pin = try TLSFingerprint(parsing: "sha256:…")
/// let client = SyncClient(
///     store: store, configuration: .init(host: "127.0.0.1", port: 7420, token: token, transport: .tls(.pinned(pin))))
/// let summary = try await client.sync { progress in print(progress.sent, progress.received) }
/// ```
public struct SyncClient: Sendable {
    public let store: Store
    public let configuration: SyncConfiguration
    let eventLoopGroup: any EventLoopGroup
    let threadPool: NIOThreadPool
    let logger: Logger
    let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - threadPool: where the blocking SQLite work runs, off the event loops.
    public init(
        store: Store, configuration: SyncConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        threadPool: NIOThreadPool = .singleton,
        logger: Logger = Logger(label: "leadsync.sync"),
        now: @escaping @Sendable () -> Int64 = Store.systemMillis
    ) {
        self.store = store
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.threadPool = threadPool
        self.logger = logger
        self.now = now
    }

    /// Runs one session to the hub's `done`.
    /// - Parameter progress: called after each batch (and at start and end); on the caller's task.
    /// - Throws: ``SyncError``. Whatever was committed before a failure stays committed on both sides.
    public func sync(progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws(SyncError) -> SyncSummary {
        let started = DispatchTime.now()
        let (identity, clock) = try await local { store in
            guard let identity = try store.identity() else { throw SyncError.notAReplica(store.path) }
            return (identity, try store.clock())
        }
        let hello = Hello(
            node: identity.node, actor: identity.actor, token: configuration.token, clock: clock, wall: now(),
            client: configuration.client)
        let channel = try await connect()
        var run = ClientRun(
            client: self, machine: ClientSession(hello: hello, limits: configuration.limits), progress: progress)
        let outcome: Result<Void, SyncError>
        do {
            outcome = try await channel.executeThenClose { inbound, outbound in
                run.reader = LineReader(inbound, maxLineBytes: configuration.limits.maxLineBytes, keepsOpText: true)
                run.writer = LineWriter(outbound: outbound, allocator: channel.channel.allocator)
                return await run.drive()
            }
        } catch {
            outcome = .failure(.connectionLost(SyncError.lostConnection("\(error)")))
        }
        let machine = run.machine
        if let welcome = machine.welcome {
            // What the hub acknowledged is worth keeping even when the session failed later.
            let succeededAt: Int64? = if case .success = outcome { now() } else { nil }
            try? await local { store in
                try SyncStatus.save(store: store, hubClock: machine.hubClock, hub: welcome.hub, succeededAt: succeededAt)
            }
        }
        if case .failure(let error) = outcome {
            if case .refused(let refusal) = error, refusal.code == .tlsRequired {
                throw .hubRequiresTLS(hub: "\(configuration.host):\(configuration.port)")
            }
            throw error
        }
        let conflicts = try await local { store in try store.counts().conflicts }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        progress?(SyncProgress(phase: .finished, sent: machine.sent, received: machine.received))
        return SyncSummary(
            hub: machine.welcome?.hub ?? "", node: identity.node.rawValue, sent: machine.sent, received: machine.received,
            conflicts: conflicts, durationMillis: elapsed, skewMillis: machine.skewMillis ?? 0)
    }

    /// Connects and, over TLS, completes the handshake: nothing (not even `hello`) is sent to a
    /// hub whose certificate was not accepted.
    private func connect() async throws(SyncError) -> LineChannel {
        let hub = "\(configuration.host):\(configuration.port)"
        let host = configuration.host
        let limits = configuration.limits
        let idle = configuration.idleTimeout
        let transport = configuration.transport
        let handshakeDeadline = configuration.connectTimeout
        let observation = TLSObservation()
        if case .tls(let trust) = transport {
            do { try trust.validate() } catch { throw .tls(error) }
        }
        let channel: LineChannel
        let handshake: EventLoopFuture<Void>?
        do {
            (channel, handshake) = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(configuration.connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        var handshake: EventLoopFuture<Void>?
                        if case .tls(let trust) = transport {
                            let pipeline = channel.pipeline.syncOperations
                            try pipeline.addHandler(try trust.makeHandler(host: host, observation: observation))
                            let promise = channel.eventLoop.makePromise(of: Void.self)
                            try pipeline.addHandler(HandshakeWaiter(promise: promise, deadline: handshakeDeadline))
                            handshake = promise.futureResult
                        }
                        let framed = try LineFraming.configure(
                            channel, maxLineBytes: limits.maxLineBytes, helloTimeout: nil, idleTimeout: idle)
                        return (framed, handshake)
                    }
                }
        } catch let error as TLSError {
            throw .tls(error)
        } catch {
            throw .unreachable(hub: hub, reason: Self.describeConnectError(error))
        }
        guard let handshake else { return channel }
        do {
            try await handshake.get()
            return channel
        } catch {
            try? await channel.executeThenClose { _, _ in }
            throw Self.handshakeFailure(error, hub: hub, transport: transport, observation: observation)
        }
    }

    static func describeConnectError(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if error.dnsAAAAError != nil || error.dnsAError != nil, error.connectionErrors.isEmpty {
                return "host name not found"
            }
            if let first = error.connectionErrors.first { return describeConnectError(first.error) }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case EHOSTUNREACH, ENETUNREACH: return "network unreachable"
            case ETIMEDOUT: return "timed out"
            default: return error.description
            }
        }
        if error is ChannelError { return "timed out" }
        return "\(error)"
    }

    /// Runs blocking store work on the thread pool.
    func local<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws(SyncError) -> T {
        do {
            return try await threadPool.runIfActive { [store] in try body(store) }
        } catch let error as SyncError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database("\(error)"))
        }
    }
}

/// One session's driver: the state machine plus the line plumbing and the testing aids.
private struct ClientRun {
    let client: SyncClient
    var machine: ClientSession
    let progress: (@Sendable (SyncProgress) -> Void)?
    var reader: LineReader?
    var writer: LineWriter?
    /// The text of each operation of the last `ops` line, as received: stored as their log bodies.
    private var opTexts: [String]?
    private var lines = 0

    init(client: SyncClient, machine: ClientSession, progress: (@Sendable (SyncProgress) -> Void)?) {
        self.client = client
        self.machine = machine
        self.progress = progress
    }

    mutating func drive() async -> Result<Void, SyncError> {
        var action = machine.start()
        while true {
            switch action {
            case .send(let message):
                if let failure = await send(LineCodec.encode(message)) { return .failure(failure) }
                if case .done = message { report(.pulling) }
                if case .ack = message { report(.pulling) }
                switch await receive() {
                case .success(let next): action = next
                case .failure(let error): return .failure(error)
                }
            case .sendOps(let bodies):
                if let failure = await send(LineCodec.encodeOps(bodies: bodies)) { return .failure(failure) }
                action = machine.sentOps()
            case .awaitLine:
                switch await receive() {
                case .success(let next): action = next
                case .failure(let error): return .failure(error)
                }
                report(.pushing)
            case .fetch(let clock, let after, let limit):
                do {
                    let page = try await client.local { store in
                        try store.operationBodies(missingFrom: clock, after: after, limit: limit).map { Entry(position: $0.position, body: $0.body) }
                    }
                    action = machine.fetched(page.map { ($0.position, $0.body) })
                } catch {
                    action = machine.failed(ProtocolError(.internal, "the client could not read its log"))
                }
            case .apply(let ops):
                let bodies = opTexts?.count == ops.count ? opTexts : nil
                do {
                    let result = try await client.local { store in try store.apply(ops, bodies: bodies) }
                    action = machine.applied(clock: result.clock, applied: result.applied)
                } catch let error {
                    if case .store(let storeError) = error, storeError.isLocalFailure {
                        // A local problem (full disk, damaged file): tell the hub, blame nobody else.
                        _ = await send(LineCodec.encode(.error(storeError.protocolError)))
                        return .failure(.localWriteFailed(storeError, received: Int(machine.received)))
                    } else if case .store(let storeError) = error {
                        action = machine.rejected(storeError.protocolError)
                    } else {
                        action = machine.rejected(ProtocolError(.internal, "\(error)"))
                    }
                }
            case .finish:
                return .success(())
            case .fail(let error, let notifyHub):
                if notifyHub { _ = await send(LineCodec.encode(.error(error))) }
                return .failure(notifyHub ? .protocolViolation(error) : .refused(error))
            }
        }
    }

    private func report(_ phase: SyncProgress.Phase) {
        progress?(SyncProgress(phase: phase, sent: machine.sent, received: machine.received))
    }

    /// Sends a line unless the testing aid says the session is cut here.
    private mutating func send(_ line: String) async -> SyncError? {
        guard countLine() else { return .cutOff(afterLines: lines - 1) }
        client.configuration.traffic?(.sent, line)
        do {
            try await writer?.write(line)
            return nil
        } catch {
            return await hubsLastWord() ?? .connectionLost(SyncError.lostConnection("\(error)"))
        }
    }

    /// After a failed write: the hub may have ended the session (e.g. `shutting_down`) while this
    /// side was still pushing; its lines arrived before the close. Reads what is left (bounded),
    /// keeping the `ack`s, and returns the hub's error if it sent one.
    private mutating func hubsLastWord() async -> SyncError? {
        guard var reader else { return nil }
        defer { self.reader = reader }
        for _ in 0..<(ClientSession.pushWindow + 2) {
            guard case .message(let message, let line, _) = await reader.next() else { return nil }
            client.configuration.traffic?(.received, String(buffer: line))
            if case .error(let error) = message { return .refused(error) }
            if case .ack = message { _ = machine.receive(message) }
        }
        return nil
    }

    /// Reads the hub's next line and feeds it to the machine.
    private mutating func receive() async -> Result<ClientSession.Action, SyncError> {
        guard var reader else { return .failure(.connectionLost("no connection")) }
        let event = await reader.next()
        self.reader = reader
        switch event {
        case .message(let message, let line, let texts):
            guard countLine() else { return .failure(.cutOff(afterLines: lines - 1)) }
            opTexts = texts
            client.configuration.traffic?(.received, String(buffer: line))
            return .success(machine.receive(message))
        case .invalid(let error, let line):
            if let line {
                guard countLine() else { return .failure(.cutOff(afterLines: lines - 1)) }
                client.configuration.traffic?(.received, String(buffer: line))
            }
            if error.code == .timeout { return .failure(.connectionLost("the hub stopped answering")) }
            return .success(machine.failed(error))
        case .closed:
            return .failure(.connectionLost("the hub closed the connection"))
        case .broken(let reason):
            return .failure(.connectionLost(SyncError.lostConnection(reason)))
        }
    }

    /// Counts a line; false when ``SyncConfiguration/maxLines`` is reached.
    private mutating func countLine() -> Bool {
        lines += 1
        if let maxLines = client.configuration.maxLines, lines > maxLines { return false }
        return true
    }
}

extension StoreError {
    /// Whether the failure lies in this machine's storage rather than in what the peer sent.
    var isLocalFailure: Bool {
        switch self {
        case .diskFull, .corrupt, .database: true
        default: false
        }
    }
}

private struct Entry: Sendable {
    let position: Int64
    let body: String
}
