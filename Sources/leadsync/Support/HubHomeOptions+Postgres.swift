import Foundation
import LeadSyncHubPostgres

extension HubHomeOptions {
    /// The PostgreSQL hub named by `--database`, else by `$LEADSYNC_HUB_DATABASE` when no `--home`
    /// is given; nil for a hub home (SQLite, the default).
    func postgresLocation() throws -> PostgresLocation? {
        if database != nil, home != nil {
            throw CLIError("--home and --database name two different hubs: pass one of them")
        }
        var url = database
        if url == nil, home == nil, let environment = ProcessInfo.processInfo.environment["LEADSYNC_HUB_DATABASE"], !environment.isEmpty {
            url = environment
        }
        guard let url else { return nil }
        return try PostgresLocation(url: url)
    }

    /// Runs `body` with the PostgreSQL hub open, closing it afterwards.
    static func withPostgresHub<T>(
        _ location: PostgresLocation, _ body: (PostgresHubStore) async throws -> T
    ) async throws -> T {
        let store = try await PostgresHubStore.open(location, maxConnections: 2)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }
}
