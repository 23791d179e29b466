import LeadSyncRules
import LeadSyncTestSupport
import Testing

@Suite("Duplicates")
struct DuplicateFinderTests {
    @Test func sameEmailInDifferentCase() {
        let pairs = DuplicateFinder.pairs([
            Fixtures.lead("b", ["email": " Max.Muster@Example.COM "]),
            Fixtures.lead("a", ["email": "max.muster@example.com"]),
            Fixtures.lead("c", ["email": "max.muster@example.org"]),
        ])
        #expect(pairs == [DuplicatePair(first: "a", second: "b", reasons: [.sameEmail])])
    }

    @Test func umlautSpellingsAndLegalForms() {
        let pairs = DuplicateFinder.pairs([
            Fixtures.lead("1", ["first_name": "Jürgen", "last_name": "Müller", "company": "Acme GmbH"]),
            Fixtures.lead("2", ["first_name": "JUERGEN", "last_name": "Mueller", "company": "ACME"]),
            Fixtures.lead("3", ["first_name": "Jurgen", "last_name": "Muller", "company": "acme gmbh & co. kg"]),
            Fixtures.lead("4", ["first_name": "Jürgen", "last_name": "Müller", "company": "Acme Tools GmbH"]),
            Fixtures.lead("5", ["first_name": "Jürgen", "last_name": "Müller"]),
        ])
        #expect(pairs.map { "\($0.first)-\($0.second)" } == ["1-2", "1-3", "2-3"])
        #expect(pairs.allSatisfy { $0.reasons == [.sameNameAndCompany] })
    }

    @Test(arguments: [
        ("+49 30 1234567", "030 1234567", true),
        ("+49 (0)30 1234567", "030/123 45 67", true),
        ("0049 89 123456", "089-123456", true),
        ("+49 89 123456", "(089) 123456", true),
        ("+49 30 1234567", "+49 30 1234568", false),
        ("123456", "123456", false),        // fewer than 7 digits: never compared
        ("1234567", "1234567", true),
    ])
    func phoneNumbers(_ a: String, _ b: String, same: Bool) {
        let pairs = DuplicateFinder.pairs([Fixtures.lead("a", ["phone": a]), Fixtures.lead("b", ["phone": b])])
        #expect(pairs == (same ? [DuplicatePair(first: "a", second: "b", reasons: [.samePhone])] : []))
    }

    @Test func reasonsAreMergedAndSorted() {
        let pairs = DuplicateFinder.pairs([
            Fixtures.lead("z", ["email": "a@b.de", "phone": "030 1234567", "last_name": "Roß", "company": "Acme AG"]),
            Fixtures.lead("y", ["email": "A@B.DE", "phone": "+49301234567", "last_name": "Ross", "company": "Acme"]),
        ])
        #expect(pairs == [DuplicatePair(first: "y", second: "z", reasons: [.sameEmail, .samePhone, .sameNameAndCompany])])
    }

    @Test func blankAndMalformedKeysNeverMatch() {
        let pairs = DuplicateFinder.pairs([
            Fixtures.lead("a", ["email": " ", "phone": "", "last_name": "Muster", "company": "GmbH"]),
            Fixtures.lead("b", ["email": "", "phone": "n/a", "last_name": "Muster", "company": "AG"]),
            Fixtures.lead("c", ["email": "n/a"]),
            Fixtures.lead("d", ["email": "n/a"]),
        ])
        #expect(pairs.isEmpty)
    }

    @Test func theSameIdIsNotItsOwnDuplicate() {
        let lead = Fixtures.lead("a", ["email": "x@y.de"])
        let pairs = DuplicateFinder.pairs([lead, lead, Fixtures.lead("b", ["email": "X@y.de"])])
        #expect(pairs == [DuplicatePair(first: "a", second: "b", reasons: [.sameEmail])])
    }

    @Test func keysAreExposedForIndexing() {
        let keys = DuplicateKeys(Fixtures.lead("a", [
            "email": " Anna@Example.DE", "phone": "+49 (0)30 1234567",
            "first_name": "Anna-Lena", "last_name": "Groß", "company": "Öko Bäcker e.V.",
        ]))
        #expect(keys.email == "anna@example.de")
        #expect(keys.phone == "301234567")
        #expect(keys.nameAndCompany == "anna lena|gross|oko backer")
    }

    @Test func hundredThousandLeadsFindThePlantedPairs() {
        var leads: [LeadFacts] = []
        leads.reserveCapacity(100_000)
        for index in 0..<100_000 {
            // Every lead distinct: unique email, phone, and name.
            leads.append(Fixtures.lead(String(format6(index)), [
                "email": "person\(index)@firma\(index % 97).de",
                "phone": "+49 \(100 + index % 800) \(1_000_000 + index)",
                "first_name": "Vorname\(index)", "last_name": "Nachname\(index)", "company": "Firma \(index % 500) GmbH",
            ]))
        }
        // Plant three duplicates, one per key, far apart in the input.
        leads[99_999].fields["email"] = "PERSON17@FIRMA17.DE"
        leads[50_000].fields["phone"] = "0" + String(leads[7].fields["phone"]!.dropFirst(4))
        leads[12_345].fields["first_name"] = "VORNAME4242"
        leads[12_345].fields["last_name"] = "nachname4242"
        leads[12_345].fields["company"] = "Firma \(4242 % 500) AG"
        let pairs = DuplicateFinder.pairs(leads)
        #expect(pairs == [
            DuplicatePair(first: "000007", second: "050000", reasons: [.samePhone]),
            DuplicatePair(first: "000017", second: "099999", reasons: [.sameEmail]),
            DuplicatePair(first: "004242", second: "012345", reasons: [.sameNameAndCompany]),
        ])
    }

    private func format6(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// The finder folds each distinct name, company and e-mail domain once; its pairs must be
    /// those of comparing every two leads' keys as `DuplicateKeys` makes them one lead at a time,
    /// for hostile spellings too (combining marks after `@`, Greek sigma, dotted I, IDNA domains).
    @Test func pairsAgreeWithComparingEveryTwoLeads() {
        var generator = SeededGenerator(seed: 15)
        let pieces = ["Müller", "Mueller", "MÜLLER", "ß", "ΣΑΣ", "İ", "e\u{301}", "\u{301}", "@", "Acme GmbH", "acme", " ",
                      ".", "xn--mller-kva.de", "müller.de", "Example.COM", "x", "Jürgen", "co. KG", "\t"]
        func text() -> String {
            (0..<Int.random(in: 1...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        let leads = (0..<400).map { index in
            Fixtures.lead("\(index)", [
                "email": Bool.random(using: &generator) ? text() : "\(text())@\(text())",
                "first_name": text(), "last_name": text(), "company": text(),
            ])
        }
        let keys = leads.map(DuplicateKeys.init)
        var expected: [DuplicatePair] = []
        for i in leads.indices {
            for j in leads.indices where j > i {
                let reasons = DuplicateReason.allCases.filter { keys[i].key(for: $0) != nil && keys[i].key(for: $0) == keys[j].key(for: $0) }
                guard !reasons.isEmpty else { continue }
                let (a, b) = (leads[i].id, leads[j].id)
                expected.append(DuplicatePair(first: min(a, b), second: max(a, b), reasons: reasons))
            }
        }
        expected.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        #expect(!expected.isEmpty)
        #expect(DuplicateFinder.pairs(leads) == expected)
    }
}
