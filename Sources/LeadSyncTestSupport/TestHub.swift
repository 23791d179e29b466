import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import Logging
import NIOCore
import NIOPosix

/// How a ``TestHub`` serves.
public enum TestTransport: Sendable {
    /// Plaintext, for tests where TLS is irrelevant; clients connect with `--plaintext`'s equivalent.
    case plaintext
    /// TLS with a self-signed certificate made in the hub's home, as `hub init` does; clients pin it.
    case tls
    /// TLS with this identity (e.g. issued by a ``TestCertificateAuthority``); clients use `client`.
    case identity(TLSServerIdentity, client: ClientTransport)
}

/// A real hub inside the test process, bound to 127.0.0.1 on a port the system picks, serving the
/// hub a ``TestHubBackend`` made (real SQLite files in a temp home by default).
public struct TestHub: Sendable {
    public let directory: TemporaryDirectory
    /// The hub as the server sees it, through the seam: works with every backend.
    public let hubStore: any HubStore & HubAdministration
    public let server: HubServer
    fileprivate let sqliteStore: Store?
    fileprivate let sqliteRegistry: NodeRegistry?
    /// How this hub's clients connect by default: plaintext, or TLS pinned to (or trusting) its certificate.
    public let clientTransport: ClientTransport

    public var port: Int { server.port }

    /// The SQLite hub's home (the default backend's files, and where `.tls` writes the certificate).
    public var home: HubHome { HubHome(directory: directory.url) }

    /// The SQLite hub's op store, opened beside the server's; only with the SQLite backend.
    public var store: Store {
        guard let sqliteStore else { preconditionFailure("TestHub.store is the SQLite backend's; use hubStore") }
        return sqliteStore
    }

    /// The SQLite hub's node registry, opened beside the server's; only with the SQLite backend.
    public var registry: NodeRegistry {
        guard let sqliteRegistry else { preconditionFailure("TestHub.registry is the SQLite backend's; use hubStore") }
        return sqliteRegistry
    }

    /// The pinned fingerprint clients use, when the hub serves its own self-signed certificate.
    public var fingerprint: TLSFingerprint? {
        if case .tls(.pinned(let pin)) = clientTransport { return pin }
        return nil
    }

    /// Registers `node` and returns the `leadsync init` arguments (without `--home`) that make a
    /// replica of it syncing with this hub through its default transport.
    public func initArguments(for node: String) throws -> [String] {
        let token = try registry.addNode(NodeID(validating: node))
        let invitation = switch clientTransport {
        case .plaintext: NodeInvitation(node: node, token: token, plaintext: true)
        case .tls(.pinned(let pin)): NodeInvitation(node: node, token: token, fingerprint: pin.description)
        case .tls(.certificateAuthority(let file)): NodeInvitation(node: node, token: token, caFile: file)
        }
        return invitation.initArguments(port: port)
    }

    /// Registers `node` on the hub and makes a fresh replica of it in its own temp home.
    public func addReplica(_ node: String) throws -> TestReplica {
        try addReplica(node, now: Store.systemMillis)
    }

    /// A replica like ``addReplica(_:)`` whose wall clock is `now` (skew it to play a laptop
    /// whose clock is wrong).
    public func addReplica(_ node: String, now: @escaping @Sendable () -> Int64) throws -> TestReplica {
        let id = try NodeID(validating: node)
        let token = try registry.addNode(id)
        return try TestReplica(node: id, token: token, now: now)
    }

    /// Registers `node` through the seam and makes a fresh replica of it: ``addReplica(_:)`` for
    /// any backend.
    public func registerReplica(_ node: String, now: @escaping @Sendable () -> Int64 = Store.systemMillis) async throws -> TestReplica {
        let id = try NodeID(validating: node)
        return try TestReplica(node: id, token: try await hubStore.addNode(id, reissue: false), now: now)
    }

    /// A sync client for `replica` pointed at this hub.
    /// `port` and `transport` default to this hub's own (a test may go through a relay, or try a
    /// wrong transport).
    public func client(
        for replica: TestReplica, limits: Limits = Limits(), maxLines: Int? = nil, port: Int? = nil,
        transport: ClientTransport? = nil, traffic: (@Sendable (TrafficDirection, String) -> Void)? = nil
    ) -> SyncClient {
        SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: port ?? self.port, token: replica.token,
                transport: transport ?? clientTransport, limits: limits, connectTimeout: .seconds(5),
                idleTimeout: .seconds(30), maxLines: maxLines, traffic: traffic),
            logger: .quiet)
    }

    /// Syncs `replica` to completion.
    @discardableResult
    public func sync(_ replica: TestReplica, limits: Limits = Limits()) async throws -> SyncSummary {
        try await client(for: replica, limits: limits).sync()
    }

    /// The hub's clock and op count: what a refused session must leave untouched.
    public func snapshot() throws -> HubSnapshot {
        HubSnapshot(clock: try store.clock(), operations: try store.counts().operations)
    }
}

public struct HubSnapshot: Sendable, Hashable {
    public let clock: VectorClock
    public let operations: Int
}

/// A replica in its own temp home, registered on a hub.
public struct TestReplica: Sendable {
    public let directory: TemporaryDirectory
    public let store: Store
    public let node: NodeID
    public let token: String

    public init(node: NodeID, token: String, now: @escaping @Sendable () -> Int64 = Store.systemMillis) throws {
        directory = try TemporaryDirectory("replica-\(node.rawValue)")
        store = try Store.open(path: directory.appending("replica.sqlite").path, now: now)
        try store.initialize(node: node)
        self.node = node
        self.token = token
    }

    private init(directory: TemporaryDirectory, store: Store, node: NodeID, token: String) {
        self.directory = directory
        self.store = store
        self.node = node
        self.token = token
    }

    /// The same replica presenting another token.
    public func with(token: String) -> TestReplica {
        TestReplica(directory: directory, store: store, node: node, token: token)
    }

    /// Adds `count` leads named after the node; returns their ids.
    @discardableResult
    public func addLeads(_ count: Int, prefix: String? = nil) throws -> [RecordID] {
        try (0..<count).map { index in
            try store.add(fields: ["last_name": "\(prefix ?? node.rawValue)-\(index)", "company": "Acme \(index % 7)"])
        }
    }
}

/// Runs `body` against a live hub and shuts the hub down gracefully afterwards.
public func withTestHub(
    transport: TestTransport,
    limits: Limits = Limits(helloTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, maxConnections: 64),
    admission: AdmissionLimits = AdmissionLimits(),
    decodeBudgetBytes: Int = HubServerConfiguration.decodeBudgetBytesDefault,
    backend: TestHubBackend = .sqlite,
    _ body: (TestHub) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory("hub")
    let threadPool = NIOThreadPool(numberOfThreads: 4)
    threadPool.start()
    let opened: TestHubBackend.Opened
    let server: HubServer
    let clientTransport: ClientTransport
    do {
        opened = try await backend.open(directory.url, threadPool)
    } catch {
        try? await threadPool.shutdownGracefully()
        throw error
    }
    do {
        let (serverTransport, client) = try transport.resolve(in: HubHome(directory: directory.url))
        clientTransport = client
        server = try await HubServer.bind(
            configuration: HubServerConfiguration(
                host: "127.0.0.1", port: 0, transport: serverTransport, limits: limits, shutdownGracePeriod: .seconds(2),
                admission: admission, decodeBudgetBytes: decodeBudgetBytes),
            store: opened.hub, logger: .quiet)
    } catch {
        await opened.close()
        try? await threadPool.shutdownGracefully()
        throw error
    }
    let hub = TestHub(
        directory: directory, hubStore: opened.hub, server: server, sqliteStore: opened.store, sqliteRegistry: opened.registry,
        clientTransport: clientTransport)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            try await body(hub)
        } catch {
            await server.shutdown()
            try? await group.waitForAll()
            await opened.close()
            try? await threadPool.shutdownGracefully()
            throw error
        }
        await server.shutdown()
        try await group.waitForAll()
    }
    await opened.close()
    try await threadPool.shutdownGracefully()
}

extension TestTransport {
    /// The server's transport and its clients' default one; `.tls` writes the hub's certificate
    /// and key into its home first.
    func resolve(in home: HubHome) throws -> (ServerTransport, ClientTransport) {
        switch self {
        case .plaintext:
            return (.plaintext, .plaintext)
        case .tls:
            let certificate = try HubCertificate.generate(names: ["localhost", "127.0.0.1", "::1"])
            try certificate.write(certificateTo: home.certificatePath, keyTo: home.keyPath)
            let identity = try TLSServerIdentity(certificatePath: home.certificatePath, keyPath: home.keyPath)
            return (.tls(identity), .tls(.pinned(identity.fingerprint)))
        case .identity(let identity, let client):
            return (.tls(identity), client)
        }
    }
}

extension Logger {
    /// Tests and libraries under test log nothing unless a test bootstraps logging itself.
    public static var quiet: Logger { Logger(label: "leadsync.test", factory: { _ in SwiftLogNoOpLogHandler() }) }
}

extension NodeRegistry {
    /// Waits until the hub has ended every session of `node` (its `connected` count is back to 0),
    /// polling every few milliseconds for at most `timeout`. A client cut mid-session leaves the hub
    /// finishing a batch it already read; waiting for that makes the next session start from a
    /// settled hub, so a seeded scenario replays the same way. Returns false on timeout.
    public func waitUntilDisconnected(_ node: NodeID, timeout: Duration = .seconds(10)) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try self.node(node)?.connected ?? 0 == 0 { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }
}
