import GRDB
import LeadSyncCore

/// Who this store's local edits come from.
public struct ReplicaIdentity: Sendable, Hashable {
    public let node: NodeID
    public let actor: ActorID
}

extension Store {
    /// Makes this store a replica of `node` with a fresh actor (see DESIGN-NOTES section 2).
    @discardableResult
    public func initialize(node: NodeID) throws(StoreError) -> ReplicaIdentity {
        var generator = SystemRandomNumberGenerator()
        let actor = ActorID.random(for: node, using: &generator)
        return try write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'node'") {
                throw StoreError.alreadyInitialized(node: existing)
            }
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('node', ?), ('actor', ?)",
                arguments: [node.rawValue, actor.rawValue])
            var context = try ApplyContext(db: db, now: now)
            _ = try context.actorState(actor)
            return ReplicaIdentity(node: node, actor: actor)
        }
    }

    /// The store's identity: a replica's node and actor, or the hub's (node ``NodeID/hub``, which
    /// writes the replicated settings). Nil for a store that was never initialised (a hub made
    /// before hubs had an actor; `HubHome` gives it one on first use).
    public func identity() throws(StoreError) -> ReplicaIdentity? {
        try read { db in try Self.identity(db) }
    }

    static func identity(_ db: Database) throws -> ReplicaIdentity? {
        let select = try db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?")
        guard let node = try String.fetchOne(select, arguments: ["node"]),
              let actor = try String.fetchOne(select, arguments: ["actor"])
        else { return nil }
        return ReplicaIdentity(node: try NodeID(validating: node), actor: try ActorID(validating: actor))
    }

    /// A free-form setting kept with the data (hub address, last sync time, …).
    public func setting(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["setting." + key]) }
    }

    public func setSetting(_ key: String, to value: String?) throws(StoreError) {
        try write { db in
            if let value {
                try db.execute(
                    sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: ["setting." + key, value])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: ["setting." + key])
            }
        }
    }
}
