import Foundation

/// One region's compiled metadata: the patterns a number is parsed, checked and formatted with.
struct PhoneRegion: Sendable {
    let code: String
    let countryCode: Int
    /// International dialling prefix, e.g. `00` or `011`, matched at the start.
    let internationalPrefix: PhonePrefix?
    /// What to strip as a national (trunk) prefix, matched at the start, and the transform rule
    /// that rebuilds the number from its groups when the metadata has one.
    let nationalPrefixForParsing: PhonePrefix?
    let nationalPrefixTransform: String?
    /// Leading digits that pick this region among those sharing a country code.
    let leadingDigits: DigitPattern?
    /// Any number of the region (full match), and any number of a known type (valid numbers).
    let general: DigitPattern?
    let valid: DigitPattern?
    let possibleLengths: Set<Int>
    let formats: [PhoneFormat]

    init(_ raw: RawRegion) {
        code = raw.r
        countryCode = raw.c
        internationalPrefix = raw.ip.flatMap { PhonePrefix($0) }
        nationalPrefixForParsing = (raw.npp ?? raw.np).flatMap { PhonePrefix($0) }
        nationalPrefixTransform = raw.npt.map { $0.replacingOccurrences(of: "\\", with: "$") }
        leadingDigits = raw.ld.flatMap { DigitPattern($0) }
        general = raw.g.flatMap { DigitPattern($0) }
        valid = raw.t.flatMap { DigitPattern($0) }
        possibleLengths = Set(raw.len ?? [])
        formats = (raw.f ?? []).compactMap { format in
            guard let pattern = PhonePattern.whole(format.p) else { return nil }
            return PhoneFormat(pattern: pattern, template: format.f, leadingDigits: format.l.flatMap { PhonePattern.prefix($0) })
        }
    }

    /// Whether `digits` (a national number) is a valid number of this region.
    func isValid(_ digits: String) -> Bool {
        if !possibleLengths.isEmpty && !possibleLengths.contains(digits.utf8.count) { return false }
        guard let valid, general?.matchesWhole(digits) ?? false else { return false }
        return valid.matchesWhole(digits)
    }

    /// Whether `digits` looks like a number of this region at all (general pattern).
    func isPlausible(_ digits: String) -> Bool {
        general?.matchesWhole(digits) ?? false
    }
}

/// One international format: the number's full pattern, the template, the leading digits.
struct PhoneFormat: Sendable {
    let pattern: NSRegularExpression
    let template: String
    let leadingDigits: NSRegularExpression?
}

/// Compiling and matching the metadata's patterns.
enum PhonePattern {
    /// A pattern that must match the whole text.
    static func whole(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: "^(?:" + pattern + ")$")
    }

    /// A pattern that must match at the start of the text.
    static func prefix(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: "^(?:" + pattern + ")")
    }

    /// The match at the start of `text`, if any.
    static func prefixMatch(_ regex: NSRegularExpression, _ text: String) -> NSTextCheckingResult? {
        regex.firstMatch(in: text, options: .anchored, range: NSRange(location: 0, length: text.utf16.count))
    }
}

extension PhoneRegion {
    /// `digits` grouped by the first international format whose leading digits and pattern fit.
    func formatted(_ digits: String) -> String? {
        let range = NSRange(location: 0, length: digits.utf16.count)
        for format in formats {
            if let leading = format.leadingDigits, PhonePattern.prefixMatch(leading, digits) == nil { continue }
            guard format.pattern.firstMatch(in: digits, range: range) != nil else { continue }
            return format.pattern.stringByReplacingMatches(in: digits, range: range, withTemplate: format.template)
        }
        return nil
    }
}
