import Foundation

/// Parses typed phone numbers the way libphonenumber does (`phonenumbers.parse` followed by
/// `is_valid_number`): extension, `tel:` URIs, `+`/international dialling prefixes, a default
/// region for national numbers, national (trunk) prefix stripping, and validity by the region's
/// number patterns.
public enum PhoneNumberParser {
    /// `value` parsed and validated. `region` (ISO 3166-1 alpha-2) is where a number without a
    /// country code is dialled from; without it such a number is refused with
    /// ``PhoneParseError/needsRegion``.
    public static func parse(_ value: String, region: String?) throws(PhoneParseError) -> PhoneNumber {
        guard value.utf8.count <= 250 else { throw .notANumber }
        let (text, phoneExtension) = try splitExtension(extractNumber(value))
        var (digits, plus) = try normalizedDigits(text)
        guard digits.utf8.count >= 2 else { throw .notANumber }
        let metadata = PhoneMetadata.shared
        let home = region.map { $0.uppercased() }.flatMap { metadata.region($0) }
        var countryCode: Int
        if !plus, let home, let idd = home.internationalPrefix,
           let length = idd.literalLength(in: digits) ?? idd.match(digits)?.range.length {
            let rest = String(digits.dropFirst(length))
            // An international prefix followed by 0 is not one (libphonenumber's rule).
            if !rest.hasPrefix("0") {
                digits = rest
                plus = true
            }
        }
        if plus {
            guard let (code, rest) = splitCountryCode(digits) else { throw .invalidCountryCode }
            countryCode = code
            digits = rest
        } else {
            guard let home else { throw .needsRegion }
            countryCode = home.countryCode
            digits = stripLeadingCountryCode(digits, home: home)
        }
        let regions = metadata.regions(forCode: countryCode)
        guard let main = regions.first else { throw .invalidCountryCode }
        digits = stripNationalPrefix(digits, region: main)
        guard digits.utf8.count >= 2, digits.utf8.count <= 17 else { throw .invalid }
        guard regions.contains(where: { $0.isValid(digits) }) || pick(regions, digits)?.isValid(digits) == true else {
            throw .invalid
        }
        return PhoneNumber(countryCode: countryCode, nationalNumber: digits, phoneExtension: phoneExtension)
    }

    /// Whether numbers can be read in `region` (ISO 3166-1 alpha-2, upper case).
    public static func knows(region: String) -> Bool {
        PhoneMetadata.shared.knows(region: region)
    }

    /// The number from its first `+` or digit, without a `tel:` scheme and trailing punctuation;
    /// a `;ext=` parameter is kept, other URI parameters are dropped.
    static func extractNumber(_ value: String) throws(PhoneParseError) -> String {
        var text = value
        if hasTelScheme(text) {
            let parts = text.dropFirst(4).split(separator: ";", omittingEmptySubsequences: false)
            let ext = parts.dropFirst().first { $0.lowercased().hasPrefix("ext=") }
            text = String(parts.first ?? "") + (ext.map { ";" + $0 } ?? "")
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: decimal digits are 0-9 and letters A-Z, a-z; the same rule on bytes.
            let bytes = text.utf8
            guard let start = bytes.firstIndex(where: { $0 == UInt8(ascii: "+") || isDigit($0) }) else { throw .notANumber }
            var end = bytes.endIndex
            while end > start {
                let last = bytes[bytes.index(before: end)]
                if isDigit(last) || last == UInt8(ascii: "#") || isLetter(last) { break }
                end = bytes.index(before: end)
            }
            return String(Substring(bytes[start..<end]))
        }
        guard let start = text.unicodeScalars.firstIndex(where: { $0 == "+" || $0.properties.numericType == .decimal }) else {
            throw .notANumber
        }
        var scalars = text.unicodeScalars[start...]
        while let last = scalars.last, !(last.properties.numericType == .decimal || last == "#" || last.properties.isAlphabetic) {
            scalars = scalars.dropLast()
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Whether `text` starts with `tel:` in any case; the bytes are compared first, so only
    /// text that starts with those letters is lower-cased.
    private static func hasTelScheme(_ text: String) -> Bool {
        guard text.utf8.count >= 4, zip(text.utf8, "tel:".utf8).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) else { return false }
        return text.lowercased().hasPrefix("tel:")
    }

    /// The number and its extension (`;ext=12`, `ext. 12`, `x12`, `#12`, `12#`, …), as
    /// libphonenumber's extension patterns find it at the end of the text.
    static func splitExtension(_ text: String) -> (String, String?) {
        // Every extension pattern needs `;`, `#`, `~`, a letter or a non-ASCII character (the
        // matching is case-insensitive): without one the expression cannot match.
        guard text.utf8.contains(where: { $0 >= 0x80 || isLetter($0) || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: ";") })
        else { return (text, nil) }
        let range = NSRange(location: 0, length: text.utf16.count)
        guard let match = PhoneExtensionPattern.regex.firstMatch(in: text, range: range) else { return (text, nil) }
        for group in 1..<match.numberOfRanges {
            let groupRange = match.range(at: group)
            guard groupRange.location != NSNotFound, let digitsRange = Range(groupRange, in: text),
                  let whole = Range(match.range, in: text)
            else { continue }
            let digits = String(text[digitsRange]).unicodeScalars.compactMap { $0.properties.numericValue.map { String(Int($0)) } }
            return (String(text[..<whole.lowerBound]), digits.joined())
        }
        return (text, nil)
    }

    /// The digits (any script's decimal digits as ASCII) and whether the number began with `+`.
    /// Punctuation libphonenumber allows is skipped; letters or other symbols refuse the text.
    static func normalizedDigits(_ text: String) throws(PhoneParseError) -> (String, Bool) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return try asciiDigits(text) }
        var digits = ""
        var plus = false
        var seenDigit = false
        for scalar in text.unicodeScalars {
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue {
                digits.append(Character(String(Int(value))))
                seenDigit = true
            } else if scalar == "+" || scalar == "＋" {
                guard !seenDigit, !plus else { throw .notANumber }
                plus = true
            } else if !allowedPunctuation.contains(scalar) && !scalar.properties.isWhitespace {
                throw .notANumber
            }
        }
        return (digits, plus)
    }

    /// ``normalizedDigits(_:)`` for ASCII text: the punctuation and white space it skips are
    /// `- / . ( ) [ ] ~`, TAB to CR and the space.
    private static func asciiDigits(_ text: String) throws(PhoneParseError) -> (String, Bool) {
        var digits: [UInt8] = []
        digits.reserveCapacity(text.utf8.count)
        var plus = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
            case UInt8(ascii: "+"):
                guard digits.isEmpty, !plus else { throw .notANumber }
                plus = true
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
                 UInt8(ascii: "]"), UInt8(ascii: "~"), 0x09...0x0D, 0x20:
                continue
            default:
                throw .notANumber
            }
        }
        return (String(decoding: digits, as: UTF8.self), plus)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static let allowedPunctuation = Set("-‐‑‒–—―−ー－/／.．()（）[]［］~⁓∼～\u{AD}\u{200B}\u{2060}".unicodeScalars)

    /// The country calling code at the start of `digits` (1-3 digits) and the rest.
    static func splitCountryCode(_ digits: String) -> (Int, String)? {
        guard !digits.hasPrefix("0") else { return nil }
        for length in 1...3 where digits.utf8.count > length {
            if let code = Int(digits.prefix(length)), PhoneMetadata.shared.regionsByCode[code] != nil {
                return (code, String(digits.dropFirst(length)))
            }
        }
        return nil
    }

    /// `49301234567` dialled in Germany is `+49 30 1234567` when the whole does not look like a
    /// German number but the rest does (libphonenumber's rule for a missing `+`).
    static func stripLeadingCountryCode(_ digits: String, home: PhoneRegion) -> String {
        let code = String(home.countryCode)
        guard digits.hasPrefix(code) else { return digits }
        let rest = stripNationalPrefix(String(digits.dropFirst(code.utf8.count)), region: home)
        let tooLong = !home.possibleLengths.isEmpty && digits.utf8.count > (home.possibleLengths.max() ?? 0)
        if (!home.isPlausible(digits) && home.isPlausible(rest)) || tooLong { return rest }
        return digits
    }

    /// `digits` without the region's national prefix, unless stripping it would turn a
    /// plausible number into an implausible or too short one.
    static func stripNationalPrefix(_ digits: String, region: PhoneRegion) -> String {
        guard let prefix = region.nationalPrefixForParsing else { return digits }
        let candidate: String
        if let length = prefix.literalLength(in: digits) {
            // Literal digits have no group for a transform to use.
            candidate = String(digits.dropFirst(length))
        } else {
            guard let match = prefix.match(digits) else { return digits }
            let rest = String(digits.utf16.dropFirst(match.range.length)) ?? ""
            let lastGroup = match.numberOfRanges - 1
            if let transform = region.nationalPrefixTransform, lastGroup > 0, match.range(at: lastGroup).location != NSNotFound {
                let head = String(digits.utf16.prefix(match.range.length)) ?? ""
                candidate = prefix.regex.replacementString(for: match, in: head, offset: 0, template: transform) + rest
            } else {
                candidate = rest
            }
        }
        if region.isPlausible(digits) && !region.isPlausible(candidate) { return digits }
        if let shortest = region.possibleLengths.min(), candidate.utf8.count < shortest { return digits }
        return candidate
    }

    /// The region of a shared country code whose leading digits match `digits`.
    private static func pick(_ regions: [PhoneRegion], _ digits: String) -> PhoneRegion? {
        regions.first { region in region.leadingDigits?.matchesPrefix(digits) ?? false }
    }
}

/// libphonenumber's extension patterns, anchored at the end; case-insensitive.
enum PhoneExtensionPattern {
    static let regex: NSRegularExpression = {
        let separator = "[ \\u00A0\\t,]*"
        let patterns = [
            ";ext=(\\d{1,20})",
            separator + "(?:e?xt(?:ensi(?:o\\u0301?|\\u00F3))?n?|\\uFF45?\\uFF58\\uFF54\\uFF4E?|\\u0434\\u043E\\u0431|anexo)"
                + "[:\\.\\uFF0E]?[ \\u00A0\\t,-]*(\\d{1,20})#?",
            separator + "(?:[x\\uFF58#\\uFF03~\\uFF5E]|int|\\uFF49\\uFF4E\\uFF54)[:\\.\\uFF0E]?[ \\u00A0\\t,-]*(\\d{1,9})#?",
            "[- ]+(\\d{1,6})#",
        ]
        do {
            return try NSRegularExpression(pattern: "(?:" + patterns.joined(separator: "|") + ")$", options: [.caseInsensitive])
        } catch {
            preconditionFailure("the phone extension pattern does not compile: \(error)")
        }
    }()
}
