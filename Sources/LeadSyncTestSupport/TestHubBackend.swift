import Foundation
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncHubSQLite
import LeadSyncStore
import NIOPosix

/// Makes the hub an in-process test hub serves, through the seam: ``sqlite`` (the default) makes a
/// hub home in the test hub's directory; another backend passes its own factory, and every test
/// written against ``TestHub/hubStore`` runs on it too.
public struct TestHubBackend: Sendable {
    /// What a backend opened: the hub the server serves and, for the SQLite backend, its store
    /// and registry opened separately for the test's own reads and writes.
    public struct Opened: Sendable {
        public let hub: any HubStore & HubAdministration
        public let store: Store?
        public let registry: NodeRegistry?
        /// Releases what the backend holds (a database's connections); run once the server stopped.
        public let close: @Sendable () async -> Void

        public init(
            hub: any HubStore & HubAdministration, store: Store? = nil, registry: NodeRegistry? = nil,
            close: @escaping @Sendable () async -> Void = {}
        ) {
            self.hub = hub
            self.store = store
            self.registry = registry
            self.close = close
        }
    }

    /// Creates a new hub (its files, if any, in `directory`) and opens it for serving on `threadPool`.
    public let open: @Sendable (_ directory: URL, _ threadPool: NIOThreadPool) async throws -> Opened

    public init(open: @escaping @Sendable (_ directory: URL, _ threadPool: NIOThreadPool) async throws -> Opened) {
        self.open = open
    }

    /// The SQLite hub in a hub home: the default backend.
    public static let sqlite = TestHubBackend { directory, threadPool in
        let home = try HubHome.initialize(at: directory)
        // The test reads and writes through the server's own store, and a registry of its own.
        let store = try home.openStore(serving: true)
        let hub = SQLiteHubStore(store: store, registry: try home.openRegistry(serving: true), threadPool: threadPool)
        return Opened(hub: hub, store: store, registry: try home.openRegistry())
    }

    /// The PostgreSQL hub, created in `database` (fresh from ``withPostgresTestDatabase(_:)``,
    /// which drops it afterwards).
    public static func postgres(_ database: PostgresTestDatabase) -> TestHubBackend {
        TestHubBackend { _, _ in
            let hub = try await PostgresHubStore.initialize(database.location)
            return Opened(hub: hub) { await hub.close() }
        }
    }
}
