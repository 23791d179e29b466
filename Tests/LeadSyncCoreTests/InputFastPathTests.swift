import LeadSyncTestSupport
import Testing

@testable import LeadSyncCore

/// The byte-level paths for ASCII e-mail addresses, domains and country cells (added for import
/// speed) must give exactly what the Unicode rules give: differential tests on random text built
/// from edge pieces, with a fixed seed.
@Suite struct InputFastPathTests {
    private static let localPieces = ["a", "Z", "0", ".", "..", "-", "_", "+", "!", "~", "'", "\"", "(", ",", " ", "\t", "\u{7F}", "\u{1}", "@", "é"]
    private static let domainPieces = ["a", "B", "0", "-", "--", ".", "..", "xn--", "xn--mller-kva", "ab--c", "de", "com", "test",
                                       "local", "_", "1", "é", "ß", "\u{7F}", " ", String(repeating: "x", count: 63)]

    /// Pieces that mostly form valid addresses, so both outcomes are exercised often.
    private static let plainPieces = ["a", "Z", "0", ".", "-", "_", "+", "bc"]
    private static let topLevel = ["", ".de", ".com", ".example", ".d3"]

    private static func random(_ pieces: [String], count: Int, using generator: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...count, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    @Test func asciiDomainsFollowTheUnicodeRules() {
        var generator = SeededGenerator(seed: 0x2026_1207)
        var decided = 0
        for _ in 0..<20_000 {
            let domain = Self.random(Self.domainPieces, count: 7, using: &generator)
            switch LeadValidator.asciiDomain(Substring(domain)) {
            case .valid(let canonical):
                decided += 1
                #expect(LeadValidator.unicodeDomain(domain) == canonical, "domain \(domain)")
            case .invalid:
                decided += 1
                #expect(LeadValidator.unicodeDomain(domain) == nil, "domain \(domain)")
            case .needsUnicode:
                continue
            }
        }
        #expect(decided > 5_000)
    }

    @Test func asciiAddressesFollowTheUnicodeRules() {
        var generator = SeededGenerator(seed: 0x2026_1208)
        var valid = 0
        var invalid = 0
        for _ in 0..<20_000 {
            let pieces = Bool.random(using: &generator) ? Self.localPieces : Self.plainPieces
            let address = Self.random(pieces, count: 5, using: &generator) + "@"
                + Self.random(Self.domainPieces, count: 3, using: &generator) + Self.topLevel.randomElement(using: &generator)!
            switch LeadValidator.asciiEmail(address) {
            case .valid(let canonical):
                valid += 1
                #expect(LeadValidator.unicodeEmail(address) == canonical, "address \(address)")
            case .invalid:
                invalid += 1
                #expect(LeadValidator.unicodeEmail(address) == nil, "address \(address)")
            case .needsUnicode:
                continue
            }
        }
        #expect(valid > 500)
        #expect(invalid > 5_000)
    }

    @Test(arguments: [
        ("MAILTO:John@Example.COM", "John@example.com"),
        ("mailto: a.b+c@x-1.example.org", "a.b+c@x-1.example.org"),
        ("j@xn--mller-kva.de", "j@müller.de"),
        ("J@MÜLLER.DE", "J@müller.de"),
        ("jürgen@Example.com", "jürgen@example.com"),
    ])
    func addressesTakeTheirCanonicalForm(input: String, expected: String) throws {
        #expect(try LeadValidator.email(input) == expected)
    }

    @Test(arguments: ["john..doe@example.com", "john@-example.com", "a@b.test", "mailto:", "a b@x.de", "a@x.d3"])
    func invalidAddressesAreRefused(input: String) {
        #expect(throws: LeadError.invalidEmail(input)) { try LeadValidator.email(input) }
    }

    @Test(arguments: [
        ("Deutschland", "DE"), (" Deutschland ", "DE"), ("\tDE", "DE"), ("Deutschland\u{00A0}", "DE"), ("\u{2003}Allemagne", "DE"),
        ("Österreich", "AT"), ("de", "DE"),
    ])
    func countryCellsAreTrimmedLikeFoundation(text: String, code: String) {
        #expect(LeadValidator.countryCode(text) == code)
    }
}
