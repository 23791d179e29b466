import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncStore

struct HubRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore the hub's operations from a 'hub backup', keeping the current node registry.",
        discussion: """
            Stop 'hub serve' first (the restore refuses while a hub serves this home). The operations \
            (and rules) come from the backup; the home's op store is moved aside as \
            hub.sqlite.before-restore-TIME. The node registry is NOT replaced: nodes and admin tokens \
            only the backup knows are added back, but every registration, reissue and revocation \
            made after the backup stays, so a revoked token never comes back and a node registered \
            later can still sync. The hub gets a new id (replicas see a rebuilt hub). The \
            certificate and key come back only if the home has none. Replicas that hold operations \
            made after the backup push them again at their next sync.

            Without a nodes.sqlite in the home the restore refuses, unless --use-backup-registry \
            (then reissue every token revoked or reissued since the backup). See \
            Docs/operating-a-hub.md, 'Backup and restore'.

            Example:
              systemctl stop leadsync-hub && leadsync hub restore /var/backups/leadsync/2026-05-14 \\
                && systemctl start leadsync-hub
            """)

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The directory 'hub backup' wrote.", valueName: "src"))
    var source: String

    @Flag(help: "With no node registry in the home, take the backup's (it may hold tokens revoked since).")
    var useBackupRegistry = false

    func run() async throws {
        let directory = home.directory
        let hub = HubHome(directory: directory)
        let exists = FileManager.default.fileExists(atPath: directory.path)
        let lock = try exists ? ServeLock.exclusive(hub) : nil
        if exists, lock == nil {
            throw CLIError(
                "a hub is serving \(directory.path): stop 'leadsync hub serve' first, then restore; nothing was changed",
                status: .temporaryFailure)
        }
        defer { withExtendedLifetime(lock) {} }
        let report = try HubBackup.restore(
            from: URL(fileURLWithPath: source).standardizedFileURL, into: hub, useBackupRegistry: useBackupRegistry,
            now: Store.systemMillis())
        if output.json {
            try JSONOutput.print(report)
            return
        }
        print("restored \(Formatting.count(report.operations, "operation")) from the backup of \(report.backup.hub) (\(Formatting.local(millis: report.backup.createdAt)))")
        if let merge = report.merge {
            print("""
                node registry kept (\(Formatting.count(merge.nodesKept.count, "node"))); added from the backup: \
                \(Self.list(merge.nodesFromBackup + merge.adminTokensFromBackup.map { "admin:" + $0 })); \
                revoked again: \(Self.list(merge.revokedFromBackup))
                """)
        } else {
            print("node registry taken from the backup (--use-backup-registry): reissue tokens revoked or reissued since it was taken")
        }
        print("hub id is now \(report.hub)\(report.previousHub.map { " (was \($0))" } ?? ""); certificate \(report.certificate)")
        if let replaced = report.replacedStore { print("the previous op store was moved to \(replaced); delete it once the hub runs well") }
        print("replicas push what they made after the backup at their next sync")
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
