import Foundation
import LeadSyncHub
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

        public init(hub: any HubStore & HubAdministration, store: Store? = nil, registry: NodeRegistry? = nil) {
            self.hub = hub
            self.store = store
            self.registry = registry
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
}
