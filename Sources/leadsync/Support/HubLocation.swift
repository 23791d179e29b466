import Foundation
import LeadSyncHub
import LeadSyncHubSQLite
import NIOPosix

/// Where a hub's data lives. Every `leadsync hub …` command names its hub as one of these and
/// opens it with ``openHub(_:serving:databaseThreads:)``: the one place the executable chooses a
/// backend, so the commands work on any hub the seam (``HubStore``, ``HubAdministration``) serves.
enum HubLocation: Sendable {
    /// A hub home directory: hub.sqlite, nodes.sqlite and the hub's TLS certificate.
    case home(URL)

    /// The hub home, for what only a home holds (its TLS certificate); nil for other backends.
    var home: HubHome? {
        switch self {
        case .home(let directory): HubHome(directory: directory)
        }
    }

    /// A readable name for messages and logs.
    var description: String {
        switch self {
        case .home(let directory): directory.path
        }
    }

    /// Creates a new hub here and returns its id; refuses a place that holds one already.
    func initialize() throws -> String {
        switch self {
        case .home(let directory):
            return try HubHome.initialize(at: directory).openRegistry().hubID()
        }
    }
}

/// A hub opened through the seam, with the threads its blocking I/O runs on.
struct OpenedHub: Sendable {
    let hub: any HubStore & HubAdministration
    let location: HubLocation
    private let threadPool: NIOThreadPool

    fileprivate init(hub: any HubStore & HubAdministration, location: HubLocation, threadPool: NIOThreadPool) {
        self.hub = hub
        self.location = location
        self.threadPool = threadPool
    }

    /// Stops the hub's threads; call once, when done with ``hub``.
    func close() async {
        try? await threadPool.shutdownGracefully()
    }
}

/// Opens the existing hub at `location`. `serving`: for `hub serve`, whose own connections write
/// statistics and checkpoint off the writer thread; commands that change the hub and exit open it
/// durable. `databaseThreads` bounds how many sessions touch the database at once.
func openHub(_ location: HubLocation, serving: Bool = false, databaseThreads: Int = 1) throws -> OpenedHub {
    let threadPool = NIOThreadPool(numberOfThreads: databaseThreads)
    threadPool.start()
    do {
        switch location {
        case .home(let directory):
            let home = try HubHomeOptions.existingHub(at: directory)
            let hub = try SQLiteHubStore(home: home, threadPool: threadPool, serving: serving)
            return OpenedHub(hub: hub, location: location, threadPool: threadPool)
        }
    } catch {
        threadPool.shutdownGracefully { _ in }
        throw error
    }
}

/// Runs `body` on the hub at `location`, closing it afterwards.
func withHub<T: Sendable>(
    _ location: HubLocation, _ body: (any HubStore & HubAdministration) async throws -> T
) async throws -> T {
    let opened = try openHub(location)
    do {
        let result = try await body(opened.hub)
        await opened.close()
        return result
    } catch {
        await opened.close()
        throw error
    }
}
