import Foundation
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncHubSQLite
import NIOPosix

/// Where a hub's data lives. Every `leadsync hub …` command names its hub as one of these and
/// opens it with ``openHub(_:serving:databaseThreads:)``: the one place the executable chooses a
/// backend, so the commands work on any hub the seam (``HubStore``, ``HubAdministration``) serves.
enum HubLocation: Sendable {
    /// A hub home directory: hub.sqlite, nodes.sqlite and the hub's TLS certificate.
    case home(URL)
    /// A PostgreSQL database that several hub processes may serve at once.
    case database(PostgresLocation)

    /// The hub home, for what only a home holds (its TLS certificate, its lock, its backups); nil
    /// for other backends.
    var home: HubHome? {
        switch self {
        case .home(let directory): HubHome(directory: directory)
        case .database: nil
        }
    }

    /// A readable name for messages and logs (a database URL without its password).
    var description: String {
        switch self {
        case .home(let directory): directory.path
        case .database(let location): location.description
        }
    }

    /// Creates a new hub here and returns its id; refuses a place that holds one already.
    func initialize() async throws -> String {
        switch self {
        case .home(let directory):
            return try HubHome.initialize(at: directory).openRegistry().hubID()
        case .database(let location):
            let store = try await PostgresHubStore.initialize(location)
            do {
                let id = try await store.hubID()
                await store.close()
                return id
            } catch {
                await store.close()
                throw error
            }
        }
    }
}

/// A hub opened through the seam; ``close()`` releases what the backend holds (threads,
/// database connections).
struct OpenedHub: Sendable {
    let hub: any HubStore & HubAdministration
    let location: HubLocation
    private let closing: @Sendable () async -> Void

    fileprivate init(hub: any HubStore & HubAdministration, location: HubLocation, closing: @escaping @Sendable () async -> Void) {
        self.hub = hub
        self.location = location
        self.closing = closing
    }

    /// Releases the hub; call once, when done with ``hub``.
    func close() async {
        await closing()
    }
}

/// Opens the existing hub at `location`. `serving`: for `hub serve`, whose own connections write
/// statistics and checkpoint off the writer thread; commands that change the hub and exit open it
/// durable. `databaseThreads` bounds how many sessions touch the database at once (a PostgreSQL
/// hub's connection pool is twice that).
func openHub(_ location: HubLocation, serving: Bool = false, databaseThreads: Int = 1) async throws -> OpenedHub {
    switch location {
    case .home(let directory):
        let threadPool = NIOThreadPool(numberOfThreads: databaseThreads)
        threadPool.start()
        do {
            let home = try HubHomeOptions.existingHub(at: directory)
            let hub = try SQLiteHubStore(home: home, threadPool: threadPool, serving: serving)
            return OpenedHub(hub: hub, location: location) { try? await threadPool.shutdownGracefully() }
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    case .database(let database):
        let hub = try await PostgresHubStore.open(database, maxConnections: serving ? databaseThreads * 2 : 2)
        return OpenedHub(hub: hub, location: location) { await hub.close() }
    }
}

/// Runs `body` on the hub at `location`, closing it afterwards.
func withHub<T: Sendable>(
    _ location: HubLocation, _ body: (any HubStore & HubAdministration) async throws -> T
) async throws -> T {
    let opened = try await openHub(location)
    do {
        let result = try await body(opened.hub)
        await opened.close()
        return result
    } catch {
        await opened.close()
        throw error
    }
}
