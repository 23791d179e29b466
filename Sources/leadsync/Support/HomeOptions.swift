import ArgumentParser
import Foundation
import LeadSyncStore

/// `--home`: which replica (or hub) a command works on. Several replicas can live on one machine.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The replica's directory (default: $LEADSYNC_HOME, else ~/.leadsync).", valueName: "dir"))
    var home: String?

    /// The resolved home directory.
    var directory: URL { Self.resolve(home) }

    /// `--home DIR`, else `$LEADSYNC_HOME`, else `~/.leadsync`.
    static func resolve(_ home: String?) -> URL {
        if let home { return URL(fileURLWithPath: home) }
        if let env = ProcessInfo.processInfo.environment["LEADSYNC_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".leadsync")
    }

    var databasePath: String { directory.appendingPathComponent("replica.sqlite").path }

    /// Opens an existing replica; never creates one in a mistyped home, and refuses a hub's home
    /// (read-only commands open one with `openForReading()`). The replica's `timezone` setting
    /// becomes the zone of times typed and printed (``LocalZone``).
    func openStore() throws -> Store {
        try refuseHubHome()
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw StoreError.notInitialized(path: directory.path)
        }
        if let warning = PrivateFiles.warning(forHome: directory) { Terminal.printError(warning) }
        let store = try Store.open(path: databasePath)
        LocalZone.adopt(try store.setting(ReplicaSetting.timezone.rawValue))
        return store
    }
}

/// `--home` of the `hub` commands: the hub's directory, resolved like a replica's.
struct HubHomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The hub's directory, holding hub.sqlite and nodes.sqlite (default: $LEADSYNC_HOME, else ~/.leadsync).",
        valueName: "dir"))
    var home: String?

    @Option(name: .long, help: ArgumentHelp(
        "A PostgreSQL hub instead of a home: postgresql://USER@HOST:PORT/DATABASE (default: $LEADSYNC_HUB_DATABASE). The password comes from PGPASSWORD or ~/.pgpass (PGPASSFILE).",
        valueName: "url"))
    var database: String?

    var directory: URL { HomeOptions.resolve(home) }
}

/// `--json`: machine-readable output with stable field names (see Docs/cli-json.md).
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}
