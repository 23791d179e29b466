import ArgumentParser
import Foundation
import LeadSyncStore

/// `--home`: which replica (or hub) a command works on. Several replicas can live on one machine.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The replica's directory (default: $LEADSYNC_HOME, else ~/.leadsync).", valueName: "dir"))
    var home: String?

    /// The resolved home directory.
    var directory: URL {
        if let home { return URL(fileURLWithPath: home) }
        if let env = ProcessInfo.processInfo.environment["LEADSYNC_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".leadsync")
    }

    var databasePath: String { directory.appendingPathComponent("replica.sqlite").path }

    /// Opens an existing replica; never creates one in a mistyped home, and refuses a hub's home
    /// (read-only commands open one with `openForReading()`).
    func openStore() throws -> Store {
        try refuseHubHome()
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw StoreError.notInitialized(path: directory.path)
        }
        warnIfShared()
        return try Store.open(path: databasePath)
    }

    /// Warns on standard error when other users may read the home (it holds personal data).
    func warnIfShared() {
        if let warning = PrivateFiles.warning(forHome: directory) { Terminal.printError(warning) }
    }
}

/// `--json`: machine-readable output with stable field names (see Docs/cli-json.md).
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}
