import Foundation
import LeadSyncCore
import LeadSyncHub
import PostgresNIO

/// Replicated settings (`leadsync hub rules`): the hub's own operations on ``RecordID/settings``,
/// applied by the same group commit and rules as pushed batches, so every process and replica
/// sees them in log order.
extension PostgresHubStore {
    public func replicatedSetting(_ name: String) async throws -> String? {
        let key = RegisterKey.setting(name)
        let stored: String? = try await database.connection { connection, logger in
            for try await versions in try await connection.query(
                "SELECT registers FROM register_set WHERE record = \(RecordID.settings.rawValue)", logger: logger
            ).decode(String.self) {
                return versions
            }
            return nil
        }
        guard let stored else { return nil }
        guard let versions = try RegisterVersionsText.decodeRegisters(stored)[key] else { return nil }
        return Register(versions: versions).winner(key.policy)?.value
    }

    /// Writes the setting as the first operation of a new actor of node ``NodeID/hub`` (a hub
    /// never continues an actor: see the SQLite hub's `renewActor`), depending on everything the
    /// hub holds now, with a timestamp after every one it has seen.
    public func publishSetting(name: String, value: String) async throws -> Op? {
        if try await replicatedSetting(name) == value { return nil }
        let deps = try await clock()
        let latest = try await database.connection { connection, logger in
            var latest: Int64 = 0
            for try await packed in try await connection.query("SELECT coalesce(max(updated_hlc), 0) FROM lead", logger: logger)
                .decode(Int64.self)
            {
                latest = packed
            }
            return latest
        }
        var hlc = HLCGenerator(last: HLC(packed: latest))
        var generator = SystemRandomNumberGenerator()
        let op = Op(
            origin: ActorID.random(for: .hub, using: &generator), seq: 1, deps: deps, hlc: hlc.tick(now: HubClock.systemMillis()),
            record: .settings, change: .setting(name: name, value: value))
        _ = try await committer.apply(IncomingBatch(ops: [op], bodies: [op.json], node: .hub, authoredByHub: true)).get()
        return op
    }
}
