/// Parses the condition part of a `points` or `route` line: one or more conditions joined by `and`.
enum ConditionParser {
    static let maxDays = 36_500
    static let maxPoints = 1_000_000

    /// The conditions up to the end of the line. At most one may be an activity condition, and
    /// only when `allowActivity` (routes run at capture, before any activity, and have no `now`).
    static func parse(
        _ cursor: inout TokenCursor, directive: String, allowActivity: Bool
    ) throws(RulesError) -> (conditions: [Condition], activity: ActivityCriterion?) {
        var conditions: [Condition] = []
        var activity: ActivityCriterion?
        if cursor.isAtEnd {
            throw cursor.lexer.error("", "'\(directive)' needs a condition, e.g. 'country is DE'")
        }
        repeat {
            let start = try cursor.require("a condition")
            if !start.quoted, start.text == "activity" {
                guard allowActivity else {
                    throw cursor.lexer.error(start.text, "activity conditions are not allowed in 'route' (routing runs at capture, before any activity)")
                }
                guard activity == nil else {
                    throw cursor.lexer.error(start.text, "only one activity condition per line")
                }
                activity = try parseActivity(&cursor)
            } else {
                conditions.append(try parseSimple(start, &cursor))
            }
            guard let following = cursor.peek else { break }
            guard cursor.take("and") else {
                throw cursor.lexer.error(following.text, "unexpected '\(following.text)' after the condition (join conditions with 'and'; put values with spaces in double quotes)")
            }
            if cursor.isAtEnd {
                throw cursor.lexer.error("and", "expected a condition after 'and'")
            }
        } while true
        return (conditions, activity)
    }

    private static func parseSimple(_ start: RulesToken, _ cursor: inout TokenCursor) throws(RulesError) -> Condition {
        if !start.quoted, start.text == "tag" {
            let tag = try cursor.require("a tag name")
            let folded = tag.text.trimmingWhitespace().caseFolded
            guard !folded.isEmpty else { throw cursor.lexer.error(tag.text, "empty tag name after 'tag'") }
            return .tag(folded)
        }
        let field = start.text
        guard LeadVocabulary.isKnownField(field) else {
            let known = (LeadVocabulary.fields + [LeadVocabulary.stageField]).joined(separator: ", ")
            throw cursor.lexer.error(field, "unknown field '\(field)' (expected one of \(known), or x_custom; or 'tag' or 'activity')")
        }
        let operators = "is, contains, prefix, present or missing"
        let op = try cursor.require(operators)
        guard !op.quoted else {
            throw cursor.lexer.error(op.text, "unknown operator '\(op.text)' after '\(field)' (expected \(operators))")
        }
        switch op.text {
        case "present": return .fieldPresent(field: field)
        case "missing": return .fieldMissing(field: field)
        case "is", "contains", "prefix":
            let token = try cursor.require("a value")
            let value = token.text.trimmingWhitespace()
            guard !value.isEmpty else {
                throw cursor.lexer.error(token.text, "empty value after '\(field) \(op.text)' (use '\(field) missing' to test for an empty field)")
            }
            if op.text == "contains" { return .fieldContains(field: field, text: value.diacriticFolded) }
            if op.text == "prefix" { return .fieldPrefix(field: field, text: value.caseFolded) }
            if let closed = LeadVocabulary.closedValues(of: field), !closed.contains(value.caseFolded) {
                throw cursor.lexer.error(value, "unknown \(field) '\(value)' (expected one of \(closed.joined(separator: ", ")))")
            }
            return .fieldIs(field: field, value: Condition.comparable(value, of: field))
        default:
            throw cursor.lexer.error(op.text, "unknown operator '\(op.text)' after '\(field)' (expected \(operators))")
        }
    }

    private static func parseActivity(_ cursor: inout TokenCursor) throws(RulesError) -> ActivityCriterion {
        let types = LeadVocabulary.activityTypes.joined(separator: ", ")
        let type = try cursor.require("an activity type")
        guard type.text == "any" || LeadVocabulary.activityTypes.contains(type.text) else {
            throw cursor.lexer.error(type.text, "unknown activity type '\(type.text)' (expected one of \(types), or any)")
        }
        var criterion = ActivityCriterion(type: type.text == "any" ? nil : type.text, each: false)
        while let option = cursor.peek, !option.quoted, ["each", "max", "within"].contains(option.text) {
            _ = cursor.next()
            let seen = switch option.text {
            case "each": criterion.each
            case "max": criterion.max != nil
            default: criterion.withinDays != nil
            }
            if seen { throw cursor.lexer.error(option.text, "'\(option.text)' given twice") }
            switch option.text {
            case "each": criterion.each = true
            case "max": criterion.max = try cursor.integer("max", in: 1...maxPoints)
            default: criterion.withinDays = try cursor.integer("within", in: 1...maxDays, suffix: "d")
            }
        }
        if criterion.max != nil, !criterion.each {
            throw cursor.lexer.error("max", "'max' needs 'each' (without 'each' the rule gives its points once)")
        }
        return criterion
    }
}
