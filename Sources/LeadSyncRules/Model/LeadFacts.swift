/// What the rules see of one lead: a plain snapshot the integrator builds from the store.
///
/// Every replica must compute the same score, route and duplicate keys from the same snapshot,
/// so the snapshot holds only replicated data (fields, stage, tags, activities) and nothing
/// derived or local.
public struct LeadFacts: Sendable, Hashable {
    /// The record id (a UUID string in the store).
    public var id: String
    /// Contact fields by their standard name (`first_name`, `email`, `country`, …) plus `x_`
    /// custom fields. A missing key and a blank value mean the same: the field is missing.
    public var fields: [String: String]
    /// The lifecycle stage: `lead`, `mql`, `sal`, `sql`, `opportunity`, `customer` or `disqualified`.
    public var stage: String
    /// Tags (segments). Rules compare them case-insensitively after trimming.
    public var tags: [String]
    /// The activity timeline. Order does not matter to any computation in this library.
    public var activities: [ActivityFact]

    public init(
        id: String,
        fields: [String: String] = [:],
        stage: String = "lead",
        tags: [String] = [],
        activities: [ActivityFact] = []
    ) {
        self.id = id
        self.fields = fields
        self.stage = stage
        self.tags = tags
        self.activities = activities
    }

    /// The trimmed value of a field, or nil when it is absent or blank.
    func value(of field: String) -> String? {
        let raw = field == LeadVocabulary.stageField ? stage : fields[field]
        guard let trimmed = raw?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

/// One entry of a lead's activity timeline.
public struct ActivityFact: Sendable, Hashable {
    /// One of ``LeadVocabulary/activityTypes`` (`booth_visit`, `demo_request`, …).
    public var type: String
    /// When it happened, in UTC milliseconds since 1970.
    public var at: Int64

    public init(type: String, at: Int64) {
        self.type = type
        self.at = at
    }
}
