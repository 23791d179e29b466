import Foundation
import LeadSyncHubPostgres

extension HubHomeOptions {
    /// The hub these options name, for ``openHub(_:serving:databaseThreads:)``: the PostgreSQL hub
    /// of `--database`, else of `$LEADSYNC_HUB_DATABASE` when no `--home` is given, else the hub home.
    var location: HubLocation {
        get throws {
            if database != nil, home != nil {
                throw CLIError("--home and --database name two different hubs: pass one of them")
            }
            var url = database
            if url == nil, home == nil, let environment = ProcessInfo.processInfo.environment["LEADSYNC_HUB_DATABASE"],
                !environment.isEmpty
            {
                url = environment
            }
            guard let url else { return .home(directory) }
            return .database(try PostgresLocation(url: url))
        }
    }
}

extension HubHomeOptions {
    /// The hub home these options name, for what only a home supports (`hub backup`,
    /// `hub restore`); refuses a PostgreSQL hub, whose database has tools of its own for that.
    func homeOnly(for command: String) throws -> URL {
        switch try location {
        case .home(let directory):
            return directory
        case .database:
            throw CLIError(
                "'\(command)' works on a hub home (--home); back up and restore a PostgreSQL hub with pg_dump and "
                    + "pg_restore (see Docs/operating-a-hub.md, 'PostgreSQL: several hub processes over one database')")
        }
    }
}
