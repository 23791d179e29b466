extension Rules {
    /// Scores a lead and explains the score.
    ///
    /// Each `points` rule whose conditions all hold adds its points once; a rule with an
    /// `activity … each` condition adds its points once per matching activity, capped in
    /// magnitude by `max`. The result depends only on the rules, the lead and `now`: not on the
    /// order of activities or tags, the locale, or the machine.
    ///
    /// - Parameters:
    ///   - lead: The lead's replicated data.
    ///   - now: UTC milliseconds that `within Nd` counts back from (activities at or after
    ///     `now - N × 86 400 000` count). Only rules with `within` make the score depend on
    ///     `now`. Pass the start of the current UTC day (``startOfUTCDay(_:)``), not the wall
    ///     clock, so that all replicas agree for a whole day and a lead's score only changes
    ///     at midnight UTC or when its data changes.
    public func score(_ lead: LeadFacts, now: Int64) -> ScoreReport {
        var lines: [ScoreLine] = []
        var total = 0
        for rule in scoring where rule.conditions.allSatisfy({ $0.matches(lead) }) {
            var points = rule.points
            var count = 1
            if let activity = rule.activity {
                let matching = activity.count(in: lead.activities, now: now)
                guard matching > 0 else { continue }
                if activity.each {
                    count = matching
                    // |points| ≤ 1 000 000 and an array cannot hold 10^12 activities: no overflow.
                    points = rule.points * matching
                    if let cap = activity.max { points = Swift.max(-cap, Swift.min(cap, points)) }
                }
            }
            total += points
            lines.append(ScoreLine(
                line: rule.line, text: rule.text, points: points, count: count,
                isEngagement: rule.activity != nil))
        }
        return ScoreReport(
            total: total,
            temperature: Temperature(score: total, thresholds: thresholds),
            readyForMQL: total >= thresholds.mql,
            lines: lines)
    }

    /// The start (00:00:00.000 UTC) of the UTC day containing `millis`: the `now` to pass to
    /// ``score(_:now:)`` so replicas agree during a day.
    public static func startOfUTCDay(_ millis: Int64) -> Int64 {
        let day = ActivityCriterion.millisPerDay
        let (quotient, remainder) = millis.quotientAndRemainder(dividingBy: day)
        return (remainder < 0 ? quotient - 1 : quotient) * day
    }
}
