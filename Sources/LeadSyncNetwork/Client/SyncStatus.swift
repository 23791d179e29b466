import Foundation
import LeadSyncCore
import LeadSyncStore

/// A replica's sync bookkeeping, kept in its settings so `leadsync status` can answer offline:
/// what the hub is known to have, when the last sync succeeded, and so how many local operations
/// the hub has not acknowledged yet.
public struct SyncStatus: Sendable, Hashable {
    /// Everything the hub is known to hold (its last acknowledgement, plus what it sent).
    public var hubClock: VectorClock
    /// End of the last successful sync, Unix milliseconds; nil if none yet.
    public var lastSyncAt: Int64?
    /// The hub's id at the last sync.
    public var hub: String?
    /// Operations in the replica that the hub has not acknowledged.
    public var unacknowledged: UInt64

    /// Setting keys (see ``Store/setting(_:)``).
    static let hubClockKey = "sync.hub_clock"
    static let lastSyncKey = "sync.last_success"
    static let hubKey = "sync.hub_id"

    /// Reads the bookkeeping and counts what the hub still lacks.
    public static func load(store: Store) throws(StoreError) -> SyncStatus {
        let hubClock = try storedHubClock(store)
        let local = try store.clock()
        let lastSync = try store.setting(lastSyncKey).flatMap { Int64($0) }
        return SyncStatus(
            hubClock: hubClock, lastSyncAt: lastSync, hub: try store.setting(hubKey),
            unacknowledged: unacknowledged(local: local, hub: hubClock))
    }

    /// Operations in `local` beyond `hub`, per actor.
    public static func unacknowledged(local: VectorClock, hub: VectorClock) -> UInt64 {
        local.entries.reduce(0) { total, entry in
            total + (entry.value > hub[entry.key] ? entry.value - hub[entry.key] : 0)
        }
    }

    /// Records what the hub is known to have; `succeededAt` also marks a completed sync.
    static func save(store: Store, hubClock: VectorClock, hub: String, succeededAt: Int64?) throws(StoreError) {
        // A different hub (a rebuilt one) knows nothing the old one acknowledged.
        let previous = try store.setting(hubKey) == hub ? try storedHubClock(store) : VectorClock()
        let merged = previous.merging(hubClock)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(merged) else { return }
        try store.setSetting(hubClockKey, to: String(decoding: data, as: UTF8.self))
        try store.setSetting(hubKey, to: hub)
        if let succeededAt { try store.setSetting(lastSyncKey, to: String(succeededAt)) }
    }

    private static func storedHubClock(_ store: Store) throws(StoreError) -> VectorClock {
        guard let text = try store.setting(hubClockKey),
              let clock = try? JSONDecoder().decode(VectorClock.self, from: Data(text.utf8))
        else { return VectorClock() }
        return clock
    }
}
