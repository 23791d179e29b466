import Foundation
import LeadSyncCore
import LeadSyncStore

/// `hub backup` and `hub restore`: a consistent online snapshot of everything a hub needs (the op
/// store with every replica's operations and the rules, the node registry, the TLS certificate and
/// key), and a restore that takes the operations from the backup but never the registry's past:
/// the current registry is kept and only what it lacks is added (``NodeRegistry/merge(from:)``).
/// See Docs/operating-a-hub.md, "Backup and restore".
public enum HubBackup {
    public static let manifestName = "backup.json"
    static let format = 1

    /// What a backup holds; written as `backup.json` next to the files.
    public struct Manifest: Sendable, Hashable, Codable {
        public var format: Int
        /// The id of the hub backed up.
        public var hub: String
        /// When the snapshot was taken, Unix milliseconds.
        public var createdAt: Int64
        /// Operations in the snapshot (every replica's, and the hub's own rules).
        public var operations: Int
        /// The snapshot's clock: per actor, the last operation it holds.
        public var clock: VectorClock
        public var nodes: Int
        public var adminTokens: Int
        /// Whether the hub's certificate and key are in the backup.
        public var certificate: Bool

        enum CodingKeys: String, CodingKey {
            case format, hub, operations, clock, nodes, certificate
            case createdAt = "created_at"
            case adminTokens = "admin_tokens"
        }
    }

    /// Snapshots `home` into the new directory `destination` (mode 0700; files 0600), whether or not
    /// the hub is serving. The op store is copied first: operations acknowledged before the call
    /// are all in it.
    public static func create(from home: HubHome, to destination: URL, now: Int64) throws(HubBackupError) -> Manifest {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? ["?"]
            guard contents.isEmpty else { throw .destinationExists(destination.path) }
        }
        let target = HubHome(directory: destination)
        do {
            try PrivateFiles.createDirectory(destination)
            let store = try home.openStore()
            try store.backup(to: target.storePath)
            let snapshot = try target.openStore()
            let operations = try snapshot.counts().operations
            let clock = try snapshot.clock()
            let registry = try home.openRegistry()
            try registry.backup(to: target.registryPath)
            let copy = try target.openRegistry()
            let certificate = try copyCertificate(from: home, to: target)
            let manifest = Manifest(
                format: format, hub: try copy.hubID(), createdAt: now, operations: operations, clock: clock,
                nodes: try copy.nodes().count, adminTokens: try copy.adminTokens().count, certificate: certificate)
            try write(manifest, to: destination.appendingPathComponent(manifestName))
            return manifest
        } catch let error as HubBackupError {
            throw error
        } catch {
            throw .failed(destination: destination.path, reason: "\(error)")
        }
    }

    /// Reads and checks a backup directory: its manifest and both databases.
    public static func manifest(of source: URL) throws(HubBackupError) -> Manifest {
        let backup = HubHome(directory: source)
        let url = source.appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: url) else { throw .notABackup(source.path, "no readable \(manifestName)") }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            throw .notABackup(source.path, "\(manifestName) is not a LeadSync backup manifest")
        }
        guard manifest.format == format else {
            throw .notABackup(source.path, "backup format \(manifest.format); this leadsync reads format \(format)")
        }
        for path in [backup.storePath, backup.registryPath] where !FileManager.default.fileExists(atPath: path) {
            throw .notABackup(source.path, "\(URL(fileURLWithPath: path).lastPathComponent) is missing")
        }
        return manifest
    }

    static func copyCertificate(from home: HubHome, to target: HubHome) throws -> Bool {
        let manager = FileManager.default
        guard manager.fileExists(atPath: home.certificatePath), manager.fileExists(atPath: home.keyPath) else { return false }
        try manager.copyItem(atPath: home.certificatePath, toPath: target.certificatePath)
        try manager.copyItem(atPath: home.keyPath, toPath: target.keyPath)
        guard chmod(target.keyPath, PrivateFiles.fileMode) == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: target.keyPath])
        }
        return true
    }

    static func write(_ manifest: Manifest, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(manifest).write(to: url, options: .atomic)
        chmod(url.path, PrivateFiles.fileMode)
    }
}

/// Why a backup or restore did not happen, and what was (not) changed.
public enum HubBackupError: Error, Sendable, Equatable, CustomStringConvertible {
    case destinationExists(String)
    case notABackup(String, String)
    case damagedBackup(String, [String])
    /// The home has no node registry to merge into; restoring the backup's could revive tokens.
    case noCurrentRegistry(home: String, backupTakenAt: Int64)
    case failed(destination: String, reason: String)
    case restoreFailed(home: String, step: String, reason: String)

    public var description: String {
        switch self {
        case .destinationExists(let path):
            "\(path) exists and is not empty: a backup goes into a new (or empty) directory; nothing was written"
        case .notABackup(let path, let reason):
            "\(path) is not a usable hub backup (\(reason)); nothing was changed"
        case .damagedBackup(let path, let problems):
            "the backup's hub.sqlite in \(path) is damaged (\(problems.prefix(3).joined(separator: "; "))); nothing was changed"
        case .noCurrentRegistry(let home, let takenAt):
            """
            \(home) has no node registry (nodes.sqlite) to merge the backup into, so this restore cannot \
            know which tokens were revoked or reissued after the backup (taken at \(takenAt) ms since 1970); \
            nothing was changed. If the registry is elsewhere, put it back first. If it is lost and you are \
            sure no token was revoked or reissued since the backup, pass --use-backup-registry; otherwise \
            do so and then reissue every node's token ('leadsync hub add-node NAME --reissue').
            """
        case .failed(let destination, let reason):
            "the backup into \(destination) failed (\(reason)); remove that directory and try again"
        case .restoreFailed(let home, let step, let reason):
            "the restore into \(home) failed while \(step) (\(reason)); see Docs/operating-a-hub.md, 'Backup and restore'"
        }
    }
}
