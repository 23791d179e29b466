/// Where a lead came from; lets marketing measure which channels work.
public enum LeadSource: String, Sendable, CaseIterable, Codable {
    case form, businessCard = "business_card", badgeScan = "badge_scan", boothConversation = "booth_conversation"
    case webinar, whitepaper, phone, `import`, other
}

/// What kind of contact a record is. Only prospects (and customers) take part in the funnel.
public enum LeadKind: String, Sendable, CaseIterable, Codable {
    case prospect, customer, partner, supplier, `internal`
}

/// The funnel: lead → MQL → SAL → SQL → opportunity → customer, with disqualified as the exit.
public enum LifecycleStage: String, Sendable, CaseIterable, Codable, Comparable {
    case lead, mql, sal, sql, opportunity, disqualified, customer

    /// How far along the funnel a stage is. Among concurrent writes the higher rank wins, so a stale
    /// device never drags a lead backwards. `disqualified` ranks above the open stages (a rep's explicit
    /// decision to stop) and below `customer` (a sale is a fact).
    public var rank: Int {
        switch self {
        case .lead: 0
        case .mql: 1
        case .sal: 2
        case .sql: 3
        case .opportunity: 4
        case .disqualified: 5
        case .customer: 6
        }
    }

    public static func < (lhs: LifecycleStage, rhs: LifecycleStage) -> Bool { lhs.rank < rhs.rank }

    /// The funnel stages in order, without the `disqualified` exit.
    public static let funnel: [LifecycleStage] = [.lead, .mql, .sal, .sql, .opportunity, .customer]
}
