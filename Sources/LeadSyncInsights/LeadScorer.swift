import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// Scores leads from replicated data with the active rules. Scores are derived, never stored or
/// replicated: two stores holding the same operations and rules give every lead the same score
/// and temperature for the whole UTC day.
public struct LeadScorer: Sendable {
    /// The rules in use.
    public let rules: ActiveRules
    /// The `now` scores are computed for: the start of the current UTC day (see
    /// ``Rules/startOfUTCDay(_:)``), so `within Nd` rules agree on every replica all day.
    public let now: Int64

    /// - Parameters:
    ///   - rules: The rules to score with.
    ///   - time: The current wall time in UTC milliseconds; only its UTC day matters.
    public init(rules: ActiveRules, at time: Int64 = Store.systemMillis()) {
        self.rules = rules
        now = Rules.startOfUTCDay(time)
    }

    /// What the rules see of `lead`: its fields, stage, tags and activity types and times.
    public static func facts(_ lead: Lead, activities: [ActivityStamp]) -> LeadFacts {
        LeadFacts(
            id: lead.id.rawValue, fields: lead.fields, stage: lead.stage.rawValue, tags: lead.tags,
            activities: activities.map { ActivityFact(type: $0.type, at: $0.time) })
    }

    /// The score of `lead`, given its activities (its own and its merged duplicates').
    public func score(_ lead: Lead, activities: [ActivityStamp]) -> ScoreReport {
        rules.rules.score(Self.facts(lead, activities: activities), now: now)
    }

    /// The score of one lead, reading its activities from `store`.
    public func score(_ lead: Lead, in store: Store) throws(StoreError) -> ScoreReport {
        let activities = try store.activities(for: lead.id).map { ActivityStamp(type: $0.type, time: $0.time) }
        return score(lead, activities: activities)
    }

    /// The scores of many leads, reading all activities in one query.
    public func scores(_ leads: [Lead], in store: Store) throws(StoreError) -> [RecordID: ScoreReport] {
        guard !leads.isEmpty else { return [:] }
        let stamps = try store.activityStamps()
        var result: [RecordID: ScoreReport] = [:]
        result.reserveCapacity(leads.count)
        for lead in leads { result[lead.id] = score(lead, activities: stamps[lead.id] ?? []) }
        return result
    }
}
