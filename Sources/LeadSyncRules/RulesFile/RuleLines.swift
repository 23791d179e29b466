/// A `points` line: when all its conditions hold, it gives `points` (times the number of
/// matching activities for an `each` activity condition, capped by `max`).
struct ScoringRule: Sendable, Hashable {
    var line: Int
    var text: String
    var points: Int
    /// Field and tag conditions; all must hold.
    var conditions: [Condition]
    /// The line's one activity condition, if any.
    var activity: ActivityCriterion?
}

/// A `route` line: when all its conditions hold, `owner` is the lead's owner.
struct RouteRule: Sendable, Hashable {
    var line: Int
    var owner: String
    var conditions: [Condition]
}
