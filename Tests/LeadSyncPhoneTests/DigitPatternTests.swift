import Foundation
import LeadSyncTestSupport
import Testing

@testable import LeadSyncPhone

/// ``DigitPattern`` replaces `NSRegularExpression` for the metadata's yes/no questions; it must
/// answer every pattern of the metadata exactly as the regular expression does.
@Suite struct DigitPatternTests {
    private struct Table: Decodable {
        let regions: [RawRegion]
    }

    /// Every pattern of the metadata with whether it is matched whole (number patterns) or at
    /// the start (leading digits, prefixes).
    private static func metadataPatterns() throws -> [(pattern: String, whole: Bool)] {
        let table = try JSONDecoder().decode(Table.self, from: Data(PhoneMetadataTable.json.utf8))
        var patterns: [(String, Bool)] = []
        for region in table.regions {
            patterns += [region.g, region.t].compactMap { $0.map { ($0, true) } }
            patterns += [region.ld, region.ip, region.np, region.npp].compactMap { $0.map { ($0, false) } }
            for format in region.f ?? [] {
                patterns.append((format.p, true))
                if let leading = format.l { patterns.append((leading, false)) }
            }
        }
        return patterns
    }

    @Test func everyMetadataPatternCompiles() throws {
        let patterns = try Self.metadataPatterns()
        #expect(patterns.count > 1_000)
        for (pattern, _) in patterns {
            #expect(DigitPattern(pattern) != nil, "\(pattern)")
        }
    }

    /// Random digit strings (fixed seed) and the patterns' own literal digits as seeds, so that
    /// both answers occur often: DigitPattern and the regular expression must agree on each.
    @Test func agreesWithTheRegularExpressionOnEveryMetadataPattern() throws {
        var generator = SeededGenerator(seed: 0x2026_1207)
        var matched = 0
        var refused = 0
        for (pattern, whole) in try Self.metadataPatterns() {
            let compiled = try #require(DigitPattern(pattern))
            let regex = try NSRegularExpression(pattern: whole ? "^(?:" + pattern + ")$" : "^(?:" + pattern + ")")
            let literalDigits = String(pattern.filter(\.isNumber).prefix(8))
            for round in 0..<40 {
                let length = Int(generator.next() % 16)
                var digits = round % 2 == 0 ? String(literalDigits.prefix(Int(generator.next() % 5))) : ""
                while digits.count < length { digits.append(Character(String(generator.next() % 10))) }
                let expected = regex.firstMatch(in: digits, options: .anchored, range: NSRange(location: 0, length: digits.utf16.count)) != nil
                let actual = whole ? compiled.matchesWhole(digits) : compiled.matchesPrefix(digits)
                #expect(actual == expected, "pattern \(pattern) on \(digits), whole: \(whole)")
                if expected { matched += 1 } else { refused += 1 }
            }
        }
        #expect(matched > 5_000)
        #expect(refused > 5_000)
    }

    @Test(arguments: [
        ("[2-9]\\d{2}", "234", true, true),
        ("[2-9]\\d{2}", "134", false, false),
        ("(?:1|8\\d)\\d{3,5}", "81234", true, true),
        ("(?:1|8\\d)\\d{3,5}", "8123", false, false),
        ("(?:1|8\\d)\\d{3,5}", "81234567", false, true),
        ("0(8(?:[1-46-8]|5\\d\\d))?", "0812", false, true),
        ("([0-258]\\d{4})$", "01234", true, true),
        ("([0-258]\\d{4})$", "012345", false, false),
        ("\\d{2,}?", "1234567", true, true),
        ("(?:1|6\\d)\\d{7}|[135-9]\\d{5}", "6417858", false, true),
        ("", "", true, true),
        ("", "12", false, true),
    ])
    func edgeCases(pattern: String, digits: String, whole: Bool, prefix: Bool) throws {
        let compiled = try #require(DigitPattern(pattern))
        #expect(compiled.matchesWhole(digits) == whole)
        #expect(compiled.matchesPrefix(digits) == prefix)
    }

    @Test(arguments: ["\\w", "[^0]", "a", "(?=1)", "1*", "(1", "1{2", "[9-1]", "1{3,2}"])
    func refusesSyntaxOutsideTheSubset(pattern: String) {
        #expect(DigitPattern(pattern) == nil)
    }
}
