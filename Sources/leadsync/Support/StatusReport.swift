import LeadSyncCore
import LeadSyncNetwork
import LeadSyncStore

/// What `leadsync status` reports: the replica's local facts, then its sync state (operations not
/// yet acknowledged by the hub, last successful sync), each with a JSON key and a text line;
/// existing keys never change (Docs/cli-json.md).
struct StatusReport: Encodable {
    // MARK: Replica
    var home: String
    var node: String
    var actor: String
    /// The replica's vector clock: actor → highest seq applied contiguously.
    var clock: [String: UInt64]
    var leads: Int
    var deletedLeads: Int
    var operations: Int
    /// Contact fields currently holding concurrent values (see `leadsync conflicts`).
    var openConflicts: Int

    // MARK: Sync
    /// The hub address stored by `init --hub` (setting "hub"); nil when none is configured.
    var hub: String?
    /// Operations in this replica the hub has not acknowledged yet (own captures not pushed, or
    /// pushed in a batch whose `ack` never arrived). Counted offline from the hub clock recorded by
    /// the last sync (see ``SyncStatus``).
    var unacknowledged: UInt64
    /// End of the last successful sync, Unix milliseconds; nil if none yet.
    var lastSyncAt: Int64?
    /// The id of the hub the last sync talked to; nil before the first sync.
    var hubID: String?

    static func gather(home: String, store: Store, identity: ReplicaIdentity) throws -> StatusReport {
        let counts = try store.counts()
        let clock = try store.clock()
        let sync = try SyncStatus.load(store: store)
        return StatusReport(
            home: home, node: identity.node.rawValue, actor: identity.actor.rawValue,
            clock: Dictionary(uniqueKeysWithValues: clock.entries.map { ($0.key.rawValue, $0.value) }),
            leads: counts.leads, deletedLeads: counts.deleted, operations: counts.operations,
            openConflicts: counts.conflicts, hub: try store.setting("hub"),
            unacknowledged: sync.unacknowledged, lastSyncAt: sync.lastSyncAt, hubID: sync.hub)
    }

    /// The text form: one labelled line per fact, in this order.
    var lines: [(label: String, value: String)] {
        let clockText = clock.isEmpty ? "(empty)" : clock.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return [
            ("home", home),
            ("node", node),
            ("actor", actor),
            ("clock", clockText),
            ("leads", "\(leads) (\(deletedLeads) deleted)"),
            ("operations", "\(operations)"),
            ("conflicts", "\(openConflicts) open"),
            ("hub", hub ?? "not configured (set it with 'leadsync config set hub HOST:PORT')"),
            ("unsynced", unacknowledged == 0
                ? "none: the hub has acknowledged every operation"
                : "\(Formatting.count(Int(unacknowledged), "operation")) not yet acknowledged by the hub (run 'leadsync sync')"),
            ("last sync", lastSyncAt.map { Formatting.local(millis: $0) + (hubID.map { " with hub \($0)" } ?? "") } ?? "never"),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case home, node, actor, clock, leads, operations, hub
        case deletedLeads = "deleted"
        case openConflicts = "open_conflicts"
        case unacknowledged = "unacknowledged_operations"
        case lastSyncAt = "last_sync"
        case hubID = "hub_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(home, forKey: .home)
        try container.encode(node, forKey: .node)
        try container.encode(actor, forKey: .actor)
        try container.encode(clock, forKey: .clock)
        try container.encode(leads, forKey: .leads)
        try container.encode(deletedLeads, forKey: .deletedLeads)
        try container.encode(operations, forKey: .operations)
        try container.encode(openConflicts, forKey: .openConflicts)
        try container.encode(hub, forKey: .hub)
        try container.encode(unacknowledged, forKey: .unacknowledged)
        try container.encode(lastSyncAt.map { Formatting.iso8601(millis: $0) }, forKey: .lastSyncAt)
        try container.encode(hubID, forKey: .hubID)
    }
}
