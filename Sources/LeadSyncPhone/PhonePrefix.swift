import Foundation

/// A pattern matched at the start of a number: an international dialling prefix (`00`, `011`)
/// or a national prefix for parsing (`0`, or a pattern with groups and a transform rule).
///
/// Most are a few literal digits, compared as text; the others are first asked of a
/// ``DigitPattern`` whether they match at all, and only a match goes to the regular expression,
/// whose match length and groups the parser needs.
struct PhonePrefix: Sendable {
    let regex: NSRegularExpression
    /// The digits when the whole pattern is literal digits (no groups, no choice).
    private let literal: String?
    private let pattern: DigitPattern?

    init?(_ pattern: String) {
        guard let regex = PhonePattern.prefix(pattern) else { return nil }
        self.regex = regex
        literal = pattern.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ? pattern : nil
        self.pattern = DigitPattern(pattern)
    }

    /// The length of the match at the start of `digits` when the pattern is literal digits.
    func literalLength(in digits: String) -> Int? {
        guard let literal, digits.hasPrefix(literal) else { return nil }
        return literal.utf8.count
    }

    /// Whether the pattern matches at the start of `digits`.
    func matchesPrefix(_ digits: String) -> Bool {
        if let literal { return digits.hasPrefix(literal) }
        return pattern?.matchesPrefix(digits) ?? (PhonePattern.prefixMatch(regex, digits) != nil)
    }

    /// The match at the start of `digits`, if any, with its groups.
    func match(_ digits: String) -> NSTextCheckingResult? {
        matchesPrefix(digits) ? PhonePattern.prefixMatch(regex, digits) : nil
    }
}
