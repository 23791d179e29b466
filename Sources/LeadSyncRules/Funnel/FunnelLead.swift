import LeadSyncCore
/// One lead as the funnel report sees it.
public struct FunnelLead: Sendable, Hashable {
    /// `prospect`, `customer`, `partner`, `supplier`, `internal`, or nil when unknown.
    public var kind: String?
    /// The lead's `source` field (grouping key for `.source`).
    public var source: String?
    /// The lead's `event` field (grouping key for `.event`).
    public var event: String?
    /// The lead's `owner` field (grouping key for `.owner`).
    public var owner: String?
    /// Every stage the lead was set to, oldest first, in the order the op log applied them
    /// (that order is authoritative; `at` is only read from the first entry, for `since`).
    /// The first entry is the lead's creation.
    public var history: [StageEntry]

    public init(kind: String? = nil, source: String? = nil, event: String? = nil, owner: String? = nil, history: [StageEntry]) {
        self.kind = kind
        self.source = source
        self.event = event
        self.owner = owner
        self.history = history
    }
}

/// One stage change: the stage set, when (UTC millis), and by whom (node or actor).
public struct StageEntry: Sendable, Hashable {
    /// The stage set: `lead`, `mql`, `sal`, `sql`, `opportunity`, `customer` or `disqualified`.
    public var stage: String
    /// When, in UTC milliseconds (the op's wall time).
    public var at: Int64
    /// Who set it (node or actor id). Not used by the report; kept for drill-downs.
    public var by: String

    public init(stage: String, at: Int64, by: String) {
        self.stage = stage
        self.at = at
        self.by = by
    }
}

/// What the funnel report is broken down by.
public enum FunnelGrouping: String, Sendable, Hashable, CaseIterable {
    /// One group with every counted lead.
    case none
    /// One group per `source` value.
    case source
    /// One group per `event` value.
    case event
    /// One group per `owner` value.
    case owner
}
