import Logging
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncTLS
import NIOCore
import NIOPosix

/// The hub: accepts replicas' sessions over TCP and serves each with a ``HubSession``.
///
/// ```swift
/// let identity = try TLSServerIdentity(certificatePath: "tls-cert.pem", keyPath: "tls-key.pem")
/// let server = try await HubServer.bind(
///     configuration: .init(port: 0, transport: .tls(identity)), store: store, logger: logger)
/// async let serving: Void = server.run()
/// print("listening on \(server.host):\(server.port)")
/// …
/// await server.shutdown()   // stop accepting, end sessions, wait at most the grace period
/// try await serving
/// ```
public final class HubServer: Sendable {
    public let configuration: HubServerConfiguration
    let store: any HubStore
    let logger: Logger
    public let hubID: String
    let serverChannel: NIOAsyncChannel<AcceptedConnection, Never>
    let tracker: ConnectionTracker
    let now: @Sendable () -> Int64
    /// The bytes of lines all sessions hold decoded at once (see ``DecodeBudget``).
    let decodeBudget: DecodeBudget

    /// The bound address's host as configured and the port actually bound.
    public var host: String { configuration.host }
    public var port: Int { serverChannel.channel.localAddress?.port ?? configuration.port }

    /// Binds the listening socket. Nothing is accepted until ``run()``.
    /// - Parameters:
    ///   - store: the hub's data; see ``HubStore``.
    ///   - eventLoopGroup: the loops that run the sockets (never blocked: database work runs in
    ///     the store's own thread pool).
    public static func bind(
        configuration: HubServerConfiguration,
        store: any HubStore,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        now: @escaping @Sendable () -> Int64 = HubClock.systemMillis
    ) async throws -> HubServer {
        let hubID = try await store.hubID()
        try await store.resetConnections()
        let limits = configuration.limits
        let admission = AdmissionControl(limits: configuration.admission, maxSessions: limits.maxConnections)
        let transport = configuration.transport
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { child in
                child.eventLoop.makeCompletedFuture { () throws -> AcceptedConnection in
                    // Decided here, on the event loop: a connection over its quota costs no task.
                    switch admission.admit(address: child.remoteAddress?.ipAddress ?? "?") {
                    case .failure(let refusal):
                        try child.pipeline.syncOperations.addHandler(RefusalHandler(LineCodec.encode(.error(refusal))))
                        return AcceptedConnection.refused
                    case .success(let ticket):
                        do {
                            try Self.addTransport(transport, to: child, logger: logger)
                            let lines = try LineFraming.configure(
                                child, maxLineBytes: limits.maxLineBytes,
                                helloTimeout: .milliseconds(Int64(limits.helloTimeoutMillis)),
                                idleTimeout: .milliseconds(Int64(limits.idleTimeoutMillis)))
                            return AcceptedConnection.admitted(lines, ticket)
                        } catch {
                            ticket.release()
                            throw error
                        }
                    }
                }
            }
        return HubServer(
            configuration: configuration, store: store, logger: logger, hubID: hubID, serverChannel: channel,
            tracker: ConnectionTracker(), now: now)
    }

    init(
        configuration: HubServerConfiguration, store: any HubStore, logger: Logger, hubID: String,
        serverChannel: NIOAsyncChannel<AcceptedConnection, Never>, tracker: ConnectionTracker,
        now: @escaping @Sendable () -> Int64
    ) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.hubID = hubID
        self.serverChannel = serverChannel
        self.tracker = tracker
        self.now = now
        decodeBudget = DecodeBudget(bytes: configuration.decodeBudgetBytes)
    }

    /// The sniffer and, for TLS, the TLS handler: everything below the line framing.
    static func addTransport(_ transport: ServerTransport, to channel: any Channel, logger: Logger) throws {
        let pipeline = channel.pipeline.syncOperations
        switch transport {
        case .plaintext:
            try pipeline.addHandler(TransportSniffer(expectsTLS: false, logger: logger))
        case .tls(let identity):
            try pipeline.addHandler(TransportSniffer(expectsTLS: true, logger: logger))
            try pipeline.addHandler(identity.makeHandler())
        }
    }

    /// Accepts connections until ``shutdown()`` (or cancellation), then waits for the sessions to
    /// end — at most the grace period, after which the remaining ones are closed. Each session runs
    /// in its own child task and catches its own errors: one bad client cannot stop the hub.
    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await serverChannel.executeThenClose { inbound in
                    for try await accepted in inbound {
                        // A refused connection answers and closes on its own (RefusalHandler).
                        guard case .admitted(let connection, let ticket) = accepted else { continue }
                        if let refusal = await tracker.admit(connection.channel) {
                            ticket.release()
                            group.addTask { await self.refuse(connection, with: refusal) }
                        } else {
                            group.addTask { await self.serve(connection, ticket: ticket) }
                        }
                    }
                }
                logger.info("stopped accepting connections")
                group.addTask { await self.closeStragglers() }
            }
        } onCancel: {
            Task { await self.shutdown() }
        }
    }

    /// Graceful shutdown: stop accepting, tell every session (each ends with `shutting_down` at its
    /// next message boundary; a batch being committed finishes first), and let ``run()`` return.
    public func shutdown() async {
        let sessions = await tracker.beginShutdown()
        try? await serverChannel.channel.close()
        for channel in sessions {
            channel.pipeline.fireUserInboundEventTriggered(SessionGuardHandler.ShutdownEvent())
        }
    }

    /// Waits out the grace period in short steps, then closes whatever is still open.
    private func closeStragglers() async {
        let step: Int64 = 50_000_000
        let steps = max(1, configuration.shutdownGracePeriod.nanoseconds / step)
        for _ in 0..<steps {
            if await tracker.count == 0 { return }
            try? await Task.sleep(nanoseconds: UInt64(step))
        }
        await tracker.closeAll()
    }

    private func refuse(_ connection: LineChannel, with error: ProtocolError) async {
        logger.notice("refused connection", metadata: ["peer": "\(connection.channel.remoteAddress?.description ?? "?")", "code": "\(error.code)"])
        try? await connection.executeThenClose { _, outbound in
            try await LineWriter(outbound: outbound, allocator: connection.channel.allocator)
                .write(LineCodec.encode(.error(error)))
            await connection.channel.lingeringClose(timeout: .seconds(1))
        }
    }

    private func serve(_ connection: LineChannel, ticket: AdmissionTicket) async {
        defer { ticket.release() }
        let address = connection.channel.remoteAddress.map(Self.describe)
        var logger = logger
        logger[metadataKey: "peer"] = "\(address ?? "?")"
        do {
            try await connection.executeThenClose { inbound, outbound in
                var session = HubConnection(
                    store: store, hubID: hubID, limits: configuration.limits, clockPolicy: configuration.clockPolicy,
                    admission: ticket, address: address, logger: logger, now: now,
                    reader: LineReader(
                        inbound, maxLineBytes: configuration.limits.maxLineBytes, keepsOpText: true, budget: decodeBudget),
                    writer: LineWriter(outbound: outbound, allocator: connection.channel.allocator),
                    channel: connection.channel)
                await session.run()
            }
        } catch {
            logger.debug("connection closed with error: \(error)")
        }
        await tracker.remove(connection.channel)
    }

    static func describe(_ address: SocketAddress) -> String {
        switch address {
        case .v6: "[\(address.ipAddress ?? "?")]:\(address.port ?? 0)"
        default: "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
    }
}
