import LeadSyncCore
/// The funnel: per group, how many leads reached each stage, and the conversion between stages.
public struct FunnelReport: Sendable, Hashable {
    /// The grouping the report was made with.
    public let grouping: FunnelGrouping
    /// The `since` the report was made with (creation at or after it), or nil for all time.
    public let since: Int64?
    /// One group per distinct value of the grouping field, sorted by key, the group of leads
    /// without a value (key nil) last. With `.none`: exactly one group, key nil, equal to `total`.
    public let groups: [FunnelGroup]
    /// All counted leads together.
    public let total: FunnelGroup
}

/// The funnel of one group of leads.
public struct FunnelGroup: Sendable, Hashable {
    /// The value of the grouping field (trimmed, compared exactly), or nil for leads without one
    /// (and for the single group of `.none`).
    public let key: String?
    /// How many leads reached each funnel stage, in funnel order `lead` … `customer`.
    /// `reached(.lead)` is the number of counted leads in the group.
    public let stages: [StageCount]
    /// The conversion between each two consecutive funnel stages, in funnel order (5 entries).
    public let conversions: [Conversion]
    /// How many leads of the group are currently disqualified (their latest entry).
    public let disqualified: Int

    /// How many leads reached `stage` (0 for `.disqualified`; see ``disqualified``).
    public func reached(_ stage: LifecycleStage) -> Int {
        stages.first { $0.stage == stage }?.reached ?? 0
    }

    /// The conversion rate from `stage` to the next funnel stage, or nil when `stage` is
    /// `customer`/`disqualified` or no lead reached `stage`.
    public func conversion(from stage: LifecycleStage) -> Double? {
        conversions.first { $0.from == stage }?.rate
    }
}

/// How many leads reached a stage.
public struct StageCount: Sendable, Hashable {
    /// A funnel stage (never `disqualified`).
    public let stage: LifecycleStage
    /// How many leads of the group reached it (see ``Funnel`` for the definition).
    public let reached: Int
}

/// The conversion from one funnel stage to the next.
public struct Conversion: Sendable, Hashable {
    /// The earlier stage (the denominator).
    public let from: LifecycleStage
    /// The stage right after it in the funnel (the numerator).
    public let to: LifecycleStage
    /// `reached(to) / reached(from)`, between 0 and 1; nil when `reached(from)` is 0.
    public let rate: Double?
}
