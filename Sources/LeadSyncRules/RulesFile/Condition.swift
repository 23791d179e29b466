import LeadSyncCore

/// One field or tag test of a `points` or `route` line (activity tests are ``ActivityCriterion``).
/// Needles are folded at parse time.
enum Condition: Sendable, Hashable {
    /// `FIELD is VALUE`: case-insensitive equality with the trimmed field value; for `country`,
    /// names and codes of one country are equal (`Germany`, `Deutschland`, `DEU` and `DE`).
    case fieldIs(field: String, value: String)
    /// `FIELD contains TEXT`: case- and diacritic-insensitive substring.
    case fieldContains(field: String, text: String)
    /// `FIELD prefix TEXT`: case-insensitive prefix of the trimmed field value.
    case fieldPrefix(field: String, text: String)
    /// `FIELD present`: the field has a non-blank value.
    case fieldPresent(field: String)
    /// `FIELD missing`: the field is absent or blank.
    case fieldMissing(field: String)
    /// `tag TAG`: the lead carries the tag (case-insensitive, trimmed).
    case tag(String)

    /// Whether `lead` passes this condition.
    func matches(_ lead: LeadFacts) -> Bool {
        switch self {
        case .fieldIs(let field, let value):
            lead.value(of: field).map { Self.comparable($0, of: field) } == value
        case .fieldContains(let field, let text):
            lead.value(of: field)?.diacriticFolded.contains(text) ?? false
        case .fieldPrefix(let field, let text):
            lead.value(of: field)?.caseFolded.hasPrefix(text) ?? false
        case .fieldPresent(let field):
            lead.value(of: field) != nil
        case .fieldMissing(let field):
            lead.value(of: field) == nil
        case .tag(let tag):
            lead.tags.contains { $0.trimmingWhitespace().caseFolded == tag }
        }
    }
}

extension Condition {
    /// The folded form `is` compares: the ISO 3166-1 alpha-2 code for a country name or code,
    /// else the case-folded text.
    static func comparable(_ value: String, of field: String) -> String {
        if field == "country", let code = LeadValidator.countryCode(value) { return code.caseFolded }
        return value.caseFolded
    }
}

/// The activity condition of a `points` line: `activity TYPE|any [each] [max N] [within Nd]`.
struct ActivityCriterion: Sendable, Hashable {
    /// The activity type, or nil for `any`.
    var type: String?
    /// `each`: points per matching activity instead of once.
    var each: Bool
    /// `max N`: the cap on the magnitude of the points an `each` rule gives.
    var max: Int?
    /// `within Nd`: only activities at or after `now - N × 86 400 000` ms count.
    var withinDays: Int?

    static let millisPerDay: Int64 = 86_400_000

    /// How many of `activities` match; independent of their order.
    func count(in activities: [ActivityFact], now: Int64) -> Int {
        let cutoff = withinDays.map { now.subtractingSaturated(Int64($0) * Self.millisPerDay) }
        var count = 0
        for activity in activities {
            if let type, activity.type != type { continue }
            if let cutoff, activity.at < cutoff { continue }
            count += 1
        }
        return count
    }
}

extension Int64 {
    fileprivate func subtractingSaturated(_ other: Int64) -> Int64 {
        let (result, overflow) = subtractingReportingOverflow(other)
        return overflow ? .min : result
    }
}
