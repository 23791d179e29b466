import Foundation
import LeadSyncCore
import LeadSyncStore

/// `hub restore`: the operations from the backup, the registry merged (never replaced).
extension HubBackup {
    /// What a restore did; `hub restore --json` prints it.
    public struct RestoreReport: Sendable, Hashable, Codable {
        /// The hub's new id (replicas treat the restored hub as a new one; see ``NodeRegistry/renewHubID()``).
        public var hub: String
        /// The id the home had before, nil when it had no registry.
        public var previousHub: String?
        public var backup: Manifest
        /// Operations in the restored store.
        public var operations: Int
        /// How the backup's registry was merged into the current one; nil with `--use-backup-registry`.
        public var merge: RegistryMerge?
        /// The backup's registry was taken as is (`--use-backup-registry`, no current registry).
        public var registryFromBackup: Bool
        /// `kept` (the home's own), `restored` (from the backup) or `none`.
        public var certificate: String
        /// Where the replaced op store was moved, if there was one.
        public var replacedStore: String?

        enum CodingKeys: String, CodingKey {
            case hub, backup, operations, merge, certificate
            case previousHub = "previous_hub"
            case registryFromBackup = "registry_from_backup"
            case replacedStore = "replaced_store"
        }

        /// Every key always, `null` for what does not apply (Docs/cli-json.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hub, forKey: .hub)
            try container.encode(previousHub, forKey: .previousHub)
            try container.encode(backup, forKey: .backup)
            try container.encode(operations, forKey: .operations)
            try container.encode(merge, forKey: .merge)
            try container.encode(registryFromBackup, forKey: .registryFromBackup)
            try container.encode(certificate, forKey: .certificate)
            try container.encode(replacedStore, forKey: .replacedStore)
        }
    }

    /// Restores the backup in `source` into `home` (the hub must not be serving it):
    /// 1. checks a copy of the backup's op store;
    /// 2. merges the backup's registry into the home's (or, with `useBackupRegistry` and no
    ///    registry in the home, takes the backup's) and gives the hub a new id;
    /// 3. moves the home's op store aside (`hub.sqlite.before-restore-TIME`) and puts the copy in place;
    /// 4. brings the certificate and key back only if the home has none (replicas pin the current one).
    public static func restore(
        from source: URL, into home: HubHome, useBackupRegistry: Bool, now: Int64
    ) throws(HubBackupError) -> RestoreReport {
        let manifest = try manifest(of: source)
        let backup = HubHome(directory: source)
        let manager = FileManager.default
        let hasRegistry = manager.fileExists(atPath: home.registryPath)
        guard hasRegistry || useBackupRegistry else {
            throw .noCurrentRegistry(home: home.directory.path, backupTakenAt: manifest.createdAt)
        }
        let staged = home.storePath + ".restoring"
        var step = "copying the backup's op store"
        do {
            try PrivateFiles.createDirectory(home.directory)
            for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: staged + suffix) }
            try manager.copyItem(atPath: backup.storePath, toPath: staged)
            step = "checking the backup's op store"
            let operations = try prepareStore(at: staged, backup: source.path)

            step = "merging the node registry"
            var report = RestoreReport(
                hub: "", backup: manifest, operations: operations, registryFromBackup: !hasRegistry, certificate: "none")
            if hasRegistry {
                let current = try home.openRegistry()
                report.previousHub = try current.hubID()
                report.merge = try mergeRegistry(from: backup, into: current, staging: home.registryPath + ".restoring")
                report.hub = try current.renewHubID()
            } else {
                try manager.copyItem(atPath: backup.registryPath, toPath: home.registryPath)
                report.hub = try home.openRegistry().renewHubID()
            }

            step = "putting the restored op store in place"
            if manager.fileExists(atPath: home.storePath) {
                let aside = home.storePath + ".before-restore-\(now)"
                for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: home.storePath + suffix) {
                    try manager.moveItem(atPath: home.storePath + suffix, toPath: aside + suffix)
                }
                report.replacedStore = aside
            }
            try manager.moveItem(atPath: staged, toPath: home.storePath)

            step = "restoring the certificate"
            report.certificate = try restoreCertificate(from: backup, to: home)
            return report
        } catch let error as HubBackupError {
            throw error
        } catch {
            throw .restoreFailed(home: home.directory.path, step: step, reason: "\(error)")
        }
    }

    /// Checks the staged copy; its operation count. The store is closed (and its WAL folded back)
    /// on return.
    static func prepareStore(at path: String, backup: String) throws -> Int {
        let store = try Store.open(path: path)
        let problems = try store.integrityCheck()
        guard problems.isEmpty else {
            try? FileManager.default.removeItem(atPath: path)
            throw HubBackupError.damagedBackup(backup, problems)
        }
        try store.passiveCheckpoint()
        return try store.counts().operations
    }

    /// Merges a copy of the backup's registry (opening it may migrate it; the backup stays as it was).
    static func mergeRegistry(from backup: HubHome, into current: NodeRegistry, staging: String) throws -> RegistryMerge {
        let manager = FileManager.default
        for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: staging + suffix) }
        try manager.copyItem(atPath: backup.registryPath, toPath: staging)
        defer { for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: staging + suffix) } }
        return try current.merge(from: try NodeRegistry.open(path: staging))
    }

    static func restoreCertificate(from backup: HubHome, to home: HubHome) throws -> String {
        let manager = FileManager.default
        if manager.fileExists(atPath: home.certificatePath) || manager.fileExists(atPath: home.keyPath) { return "kept" }
        return try copyCertificate(from: backup, to: home) ? "restored" : "none"
    }
}
