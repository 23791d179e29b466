/// A parsed rules file: thresholds, scoring points and routes, plus the text it came from.
///
/// Make one with ``RulesFile/parse(_:name:)`` or use ``default``. Scoring is in
/// ``score(_:now:)``, routing in ``route(_:)``. Two `Rules` are equal when they were parsed
/// from the same text under the same name.
public struct Rules: Sendable, Hashable {
    /// The name errors and explanations refer to (the file name).
    public let name: String
    /// The source text, verbatim: replicate this, not a re-rendering, so every replica parses
    /// exactly the same file.
    public let text: String
    /// The thresholds, with defaults (warm 30, hot 60, mql 50) for those the file does not set.
    public let thresholds: Thresholds

    let scoring: [ScoringRule]
    let routes: [RouteRule]

    /// How many `points` lines the file has.
    public var pointsRuleCount: Int { scoring.count }
    /// How many `route` lines the file has.
    public var routeCount: Int { routes.count }

    init(name: String, text: String, thresholds: Thresholds, scoring: [ScoringRule], routes: [RouteRule]) {
        self.name = name
        self.text = text
        self.thresholds = thresholds
        self.scoring = scoring
        self.routes = routes
    }

    public static func == (lhs: Rules, rhs: Rules) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(text)
    }
}
