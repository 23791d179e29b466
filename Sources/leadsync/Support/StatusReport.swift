import LeadSyncCore
import LeadSyncStore

/// What `leadsync status` reports. Today: the replica's local facts. The sync work adds its
/// fields (operations not yet on the hub, last sync, …) in the marked section below, each with a
/// JSON key and a text line; existing keys never change (Docs/cli-json.md).
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

    static func gather(home: String, store: Store, identity: ReplicaIdentity) throws -> StatusReport {
        let counts = try store.counts()
        let clock = try store.clock()
        return StatusReport(
            home: home, node: identity.node.rawValue, actor: identity.actor.rawValue,
            clock: Dictionary(uniqueKeysWithValues: clock.entries.map { ($0.key.rawValue, $0.value) }),
            leads: counts.leads, deletedLeads: counts.deleted, operations: counts.operations,
            openConflicts: counts.conflicts, hub: try store.setting("hub"))
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
            ("hub", hub ?? "not configured (pass --hub to 'leadsync sync')"),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case home, node, actor, clock, leads, operations, hub
        case deletedLeads = "deleted"
        case openConflicts = "open_conflicts"
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
    }
}
