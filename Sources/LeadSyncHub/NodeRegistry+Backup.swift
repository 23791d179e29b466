import Foundation
import GRDB
import LeadSyncCore
import LeadSyncStore

/// The registry's part in `hub backup` and `hub restore`: snapshots, and merging a backup into the
/// current registry so that a restore never brings a revoked token back and never drops a node
/// registered after the backup.
extension NodeRegistry {
    /// Copies a consistent snapshot of the registry into a new file at `path` (online; see
    /// ``Store/backup(to:)``).
    public func backup(to path: String) throws(RegistryError) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .database("\(path) already exists; a backup never overwrites a file")
        }
        PrivateFiles.prepare(database: path)
        try mapErrors {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.close()
        }
        PrivateFiles.restrict(database: path)
    }

    /// Adds what only `backup` knows to this (the current, newer) registry, in one transaction:
    /// nodes and admin tokens missing here come back as they were in the backup; for those in
    /// both, this registry's token and state win (a revocation or reissue is newer than any backup),
    /// except that a token revoked in the backup stays revoked here while it is the same token.
    /// Statistics and session history stay this registry's.
    public func merge(from backup: NodeRegistry) throws(RegistryError) -> RegistryMerge {
        let (nodes, tokens) = try backup.read { db in
            (try Row.fetchAll(db, sql: "SELECT name, token_hash, revoked, created_at FROM node"),
             try Row.fetchAll(db, sql: "SELECT name, token_hash, created_at, revoked_at FROM admin_token"))
        }
        return try write { db in
            var merge = RegistryMerge()
            for row in nodes {
                let name: String = row["name"]
                let current = try Row.fetchOne(db, sql: "SELECT token_hash, revoked FROM node WHERE name = ?", arguments: [name])
                guard let current else {
                    try db.execute(
                        sql: "INSERT INTO node (name, token_hash, revoked, created_at) VALUES (?, ?, ?, ?)",
                        arguments: [name, row["token_hash"] as String, row["revoked"] as Bool, row["created_at"] as Int64])
                    merge.nodesFromBackup.append(name)
                    continue
                }
                merge.nodesKept.append(name)
                if row["revoked"] as Bool, !(current["revoked"] as Bool), current["token_hash"] as String == row["token_hash"] as String {
                    try db.execute(sql: "UPDATE node SET revoked = 1 WHERE name = ?", arguments: [name])
                    merge.revokedFromBackup.append(name)
                }
            }
            for row in tokens {
                let name: String = row["name"]
                let current = try Row.fetchOne(db, sql: "SELECT token_hash, revoked_at FROM admin_token WHERE name = ?", arguments: [name])
                guard let current else {
                    try db.execute(
                        sql: "INSERT INTO admin_token (name, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?)",
                        arguments: [name, row["token_hash"] as String, row["created_at"] as Int64, row["revoked_at"] as Int64?])
                    merge.adminTokensFromBackup.append(name)
                    continue
                }
                if let revoked = row["revoked_at"] as Int64?, current["revoked_at"] as Int64? == nil,
                    current["token_hash"] as String == row["token_hash"] as String
                {
                    try db.execute(sql: "UPDATE admin_token SET revoked_at = ? WHERE name = ?", arguments: [revoked, name])
                    merge.revokedFromBackup.append("admin:" + name)
                }
            }
            merge.nodesKept.sort()
            merge.nodesFromBackup.sort()
            merge.adminTokensFromBackup.sort()
            merge.revokedFromBackup.sort()
            return merge
        }
    }

    /// Gives the hub a new id (sent in every `welcome`): after a restore the hub is not the one
    /// replicas last synced with (it lost what came after the backup), so what they recorded as
    /// acknowledged by the old id no longer counts, and `leadsync status` counts it as waiting.
    @discardableResult
    public func renewHubID() throws(RegistryError) -> String {
        let id = Self.makeHubID()
        try write { db in
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('hub_id', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [id])
        }
        return id
    }

    static func makeHubID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "hub-" + (0..<8).map { _ in String(UInt8.random(in: 0..<36, using: &generator), radix: 36) }.joined()
    }
}

/// What ``NodeRegistry/merge(from:)`` did, by name.
public struct RegistryMerge: Sendable, Hashable, Codable {
    /// Nodes in both registries: the current registration kept.
    public var nodesKept: [String] = []
    /// Nodes only the backup had, registered again as they were.
    public var nodesFromBackup: [String] = []
    /// Admin tokens only the backup had.
    public var adminTokensFromBackup: [String] = []
    /// Tokens the backup had revoked that the current registry had not (same token): revoked now.
    /// Admin tokens are prefixed `admin:`.
    public var revokedFromBackup: [String] = []

    enum CodingKeys: String, CodingKey {
        case nodesKept = "nodes_kept"
        case nodesFromBackup = "nodes_from_backup"
        case adminTokensFromBackup = "admin_tokens_from_backup"
        case revokedFromBackup = "revoked_from_backup"
    }
}
