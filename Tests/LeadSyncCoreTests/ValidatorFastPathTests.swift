import LeadSyncCore
import Testing

/// The byte-level fast paths of the validator (added for import speed) must give exactly what
/// the Character-level rules give; these inputs sit on the edges between the two.
@Suite struct ValidatorFastPathTests {
    @Test(arguments: [
        ("Jürgen Müller", "Jürgen Müller"),
        ("  Jürgen   Müller ", "Jürgen Müller"),
        ("Jürgen\u{00A0}Müller", "Jürgen Müller"),  // no-break space is whitespace
        ("a \u{301}b", "a b"),  // a combining mark after a space belongs to the space's grapheme
        ("Zoë\u{2003}Ærø", "Zoë Ærø"),
        ("Größe", "Größe"),
        ("Ölmühle\n", "Ölmühle"),
        ("A\u{0085}B", "A B"),
        ("Özlem Çelik", "Özlem Çelik"),
        ("é \u{301}x", "é x"),
    ])
    func nonASCIIWhitespace(input: String, expected: String) throws {
        #expect(try LeadValidator.normalize(input, for: .standard(.company)) == expected)
    }

    /// Random strings from a palette of edge characters: the byte-level check that lets a value
    /// skip the Character-level collapsing must never change what collapsing gives.
    @Test func randomValuesCollapseLikeTheCharacterRule() throws {
        let palette: [String] = ["a", "Z", " ", "  ", "Ö", "ß", "é", "\u{301}", "\u{00A0}", "\u{2003}", "\u{3000}", "\u{1680}",
                                 "\u{0085}", "\u{200D}", "\u{FE0F}", "👍🏽", "\t", "\n", "-", "Ærø", "\u{202F}", "中"]
        var state: UInt64 = 0x2026_1123
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<5_000 {
            let value = (0..<next(8)).map { _ in palette[next(palette.count)] }.joined()
            let expected = value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(try LeadValidator.normalize(value, for: .standard(.company)) == expected, "value \(value.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func asciiAndNonASCIIEmailsFollowTheSameRules() throws {
        #expect(try LeadValidator.normalize("Anna@ACME.Example", for: .standard(.email)) == "Anna@acme.example")
        #expect(try LeadValidator.normalize("jürgen@Müller.DE", for: .standard(.email)) == "jürgen@müller.de")
        #expect(try LeadValidator.normalize("a-b.c+d@x-1.example.com", for: .standard(.email)) == "a-b.c+d@x-1.example.com")
        let local64 = String(repeating: "a", count: 64)
        #expect(try LeadValidator.normalize(local64 + "@x.de", for: .standard(.email)) == local64 + "@x.de")
        for bad in ["a@@x.de", "a@x.d", "a@x..de", "a@.x.de", local64 + "a@x.de", "a@x.d3", "a@x_y.de", "a@x.de@y.de", "@x.de",
                    "ä@x.d3", "a@" + String(repeating: "x", count: 64) + ".de"] {
            #expect(throws: LeadError.invalidEmail(bad)) { try LeadValidator.normalize(bad, for: .standard(.email)) }
        }
    }

    @Test func phonesNotesAndTags() throws {
        #expect(try LeadValidator.normalize("+49 (40) 123-45/6.7", for: .standard(.phone)) == "+49 (40) 123-45/6.7")
        for bad in ["12", "+49 40 123 ext", "０４０ 123"] {
            #expect(throws: LeadError.invalidPhone(bad)) { try LeadValidator.normalize(bad, for: .standard(.phone)) }
        }
        #expect(try LeadValidator.note("plain") == "plain")
        #expect(try LeadValidator.note("  padded\n") == "padded")
        #expect(try LeadValidator.note("\u{00A0}nbsp\u{2003}") == "nbsp")
        #expect(try LeadValidator.tag("hot") == "hot")
        #expect(try LeadValidator.tag(" hot ") == "hot")
        #expect(throws: LeadError.self) { try LeadValidator.tag("two words") }
    }
}
