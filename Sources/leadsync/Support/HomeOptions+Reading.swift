import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncStore

/// The data a read-only command looks at: a replica's own, or a hub's (every replica's).
struct ReadableHome {
    let store: Store
    /// The replica's identity; nil for a hub home.
    let replica: ReplicaIdentity?

    var isHub: Bool { replica == nil }
}

extension HomeOptions {
    /// Whether `--home` is a hub's home (it has the hub's node registry and no replica).
    var isHubHome: Bool {
        let manager = FileManager.default
        return !manager.fileExists(atPath: databasePath)
            && manager.fileExists(atPath: HubHome(directory: directory).registryPath)
    }

    /// Opens a replica, or a hub's `hub.sqlite` when `--home` is a hub's home, for commands that
    /// only read (`list`, `show`, `score`, `report`, `conflicts`, `history`).
    func openForReading() throws -> ReadableHome {
        if isHubHome {
            return ReadableHome(store: try existingHub().openStore(), replica: nil)
        }
        let (store, identity) = try openReplica()
        return ReadableHome(store: store, replica: identity)
    }

    /// The hub in `--home`, warning when other users may read it; never creates one.
    func existingHub() throws -> HubHome { try HubHomeOptions.existingHub(at: directory) }

    /// The refusal of a command that writes, when `--home` is a hub's home.
    func refuseHubHome() throws {
        guard isHubHome else { return }
        throw CLIError("""
            \(directory.path) is a hub's home, not a replica's: this command works on a replica only \
            (pass a replica's --home); a hub's home can be read with list, show, score, report, conflicts \
            and history, and run with 'leadsync hub …'
            """)
    }
}

extension HubHomeOptions {
    /// The hub home in `directory`, warning when other users may read it; never creates one.
    static func existingHub(at directory: URL) throws -> HubHome {
        let hub = try HubHome.existing(at: directory)
        if let warning = PrivateFiles.warning(forHome: directory) { Terminal.printError(warning) }
        return hub
    }
}
