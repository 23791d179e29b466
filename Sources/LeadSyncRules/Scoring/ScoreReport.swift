/// A lead's score with its explanation.
public struct ScoreReport: Sendable, Hashable {
    /// The sum of ``lines``' points.
    public let total: Int
    /// ``Temperature`` of ``total`` under the rules' thresholds.
    public let temperature: Temperature
    /// Whether ``total`` is at or above the `mql` threshold. The library only reports this;
    /// moving the stage is the caller's decision (and an operation in the log).
    public let readyForMQL: Bool
    /// One line per `points` rule that matched, in file order. Their points always sum to ``total``.
    public let lines: [ScoreLine]

    /// Points from rules without an activity condition (who the lead is).
    public var fit: Int { lines.filter { !$0.isEngagement }.reduce(0) { $0 + $1.points } }
    /// Points from rules with an activity condition (what the lead did).
    public var engagement: Int { lines.filter(\.isEngagement).reduce(0) { $0 + $1.points } }
}

/// One matched `points` rule: where it is, what it says, what it gave.
public struct ScoreLine: Sendable, Hashable {
    /// The 1-based line number in the rules file.
    public let line: Int
    /// The rule as written, without its comment (e.g. `points 5 activity download each max 15`).
    public let text: String
    /// The points this rule gave this lead (for `each` rules: per activity times count, capped).
    public let points: Int
    /// How many activities the rule counted (1 for a rule without an `each` activity condition).
    public let count: Int
    /// Whether the rule has an activity condition (engagement) or not (fit).
    public let isEngagement: Bool
}
