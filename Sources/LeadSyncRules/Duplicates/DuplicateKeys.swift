import LeadSyncCore

/// The normalised keys two leads are compared by. Two leads are duplicates when any key is equal
/// (and non-nil). Exposed so a store can index the keys and check a new capture at once.
public struct DuplicateKeys: Sendable, Hashable {
    /// The email, trimmed and fully lower-cased; nil unless it has text on both sides of one `@`.
    public let email: String?
    /// The last 9 digits of the phone number in international form (all of them when it has 7
    /// or 8); nil when it has fewer than 7 digits. `(0)` is dropped; a `+` before the first digit
    /// or a leading `00` marks an international number; a national number (one leading `0`) is
    /// taken as German (`0` → `49`). So `+49 30 1234567`, `0049 30 1234567`, `030 1234567` and
    /// `+49 (0)30 123 45 67` all give `301234567`.
    public let phone: String?
    /// `first|last|company`, each folded: case and diacritics (`ü` → `u`, `ß` → `ss`), `ue`/`oe`/`ae`
    /// read as `u`/`o`/`a` (`Mueller` = `Müller` = `Muller`), anything but letters and digits as a
    /// blank, blanks collapsed; in the company, dots removed and trailing legal forms stripped
    /// (`Acme GmbH & Co. KG` → `acme`). Nil when last name or company is missing (or the company
    /// is only a legal form); a missing first name matches only a missing first name.
    public let nameAndCompany: String?

    /// The keys of `lead`, from its `email`, `phone`, `first_name`, `last_name` and `company`.
    public init(_ lead: LeadFacts) {
        self.init(lead, email: { Self.emailKey($0) }, name: Self.nameKey, company: Self.companyKey)
    }

    /// The same keys, folding each distinct name, company and e-mail domain once per `folding`.
    init(_ lead: LeadFacts, folding: inout Folding) {
        self.init(lead, email: { folding.emailKey($0) }, name: { folding.nameKey($0) }, company: { folding.companyKey($0) })
    }

    private init(
        _ lead: LeadFacts, email emailKey: (String) -> String?, name nameKey: (String) -> String, company companyKey: (String) -> String
    ) {
        email = lead.value(of: "email").flatMap(emailKey)
        phone = lead.value(of: "phone").flatMap(Self.phoneKey)
        let last = lead.value(of: "last_name").map(nameKey) ?? ""
        let company = lead.value(of: "company").map(companyKey) ?? ""
        if last.isEmpty || company.isEmpty {
            nameAndCompany = nil
        } else {
            let first = lead.value(of: "first_name").map(nameKey) ?? ""
            nameAndCompany = "\(first)|\(last)|\(company)"
        }
    }

    /// The key a reason compares.
    public func key(for reason: DuplicateReason) -> String? {
        switch reason {
        case .sameEmail: email
        case .samePhone: phone
        case .sameNameAndCompany: nameAndCompany
        }
    }

    /// `  Max.Muster@Example.COM ` → `max.muster@example.com`; an internationalised domain in
    /// its Unicode form, so `j@xn--mller-kva.de` = `j@müller.de`.
    static func emailKey(_ email: String) -> String? {
        emailKey(identity: LeadValidator.emailIdentity(email.trimmingWhitespace()))
    }

    /// The key of an address already in its ``LeadValidator/emailIdentity(_:)`` form.
    static func emailKey(identity key: String) -> String? {
        let at = UInt8(ascii: "@")
        guard let first = key.utf8.firstIndex(of: at), first == key.utf8.lastIndex(of: at),
              first != key.utf8.startIndex, key.utf8.index(after: first) != key.utf8.endIndex
        else { return nil }
        return key
    }

    /// Phone numbers compared by their last 9 digits, so that trunk and country prefixes do not
    /// matter:
    /// 1. `(0)` is dropped (`+49 (0)30 …`), then everything but digits; a `+` before the first
    ///    digit or a leading `00` marks an international number (`0049 30 …` = `+49 30 …`).
    /// 2. A national number (one leading `0`) is taken as German: the `0` becomes `49`, so
    ///    `030 1234567` = `+49 30 1234567` and `089 123456` = `+49 89 123456`.
    /// 3. Fewer than 7 digits: no key (extensions, typos). Otherwise the last 9 digits (or all,
    ///    when there are 7 or 8).
    /// An RFC 3966 extension (`;ext=12`, how parsed numbers are stored) is not part of the key.
    static func phoneKey(_ phone: String) -> String? {
        let bytes = Array(phone.utf8.prefix { $0 != UInt8(ascii: ";") })
        var digits: [UInt8] = []
        var plus = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "("), index + 2 < bytes.count,
               bytes[index + 1] == UInt8(ascii: "0"), bytes[index + 2] == UInt8(ascii: ")") {
                index += 3
                continue
            }
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte)
            } else if byte == UInt8(ascii: "+"), digits.isEmpty {
                plus = true
            }
            index += 1
        }
        let zero = UInt8(ascii: "0")
        if !plus, digits.starts(with: [zero, zero]) {
            digits.removeFirst(2)
        } else if !plus, digits.first == zero {
            digits.replaceSubrange(0..<1, with: [UInt8(ascii: "4"), UInt8(ascii: "9")])
        }
        guard digits.count >= 7 else { return nil }
        return String(decoding: digits.suffix(9), as: UTF8.self)
    }

    /// Names: diacritics folded (`ü` → `u`, `ß` → `ss`), `ue`/`oe`/`ae` read as `u`/`o`/`a`
    /// (so `Mueller` = `Müller` = `Muller`), punctuation as blanks, blanks collapsed.
    static func nameKey(_ name: String) -> String {
        words(name, dropDots: false).joined(separator: " ")
    }

    /// Companies: like names, with dots removed (`e.V.` → `ev`) and trailing legal forms
    /// stripped repeatedly (`Acme GmbH & Co. KG` → `acme`, `ACME Inc.` → `acme`).
    static func companyKey(_ company: String) -> String {
        var words = words(company, dropDots: true)
        var stripped = false
        while let last = words.last, legalForms.contains(last) || (stripped && ["und", "and"].contains(last)) {
            words.removeLast()
            stripped = true
        }
        return words.joined(separator: " ")
    }

    /// Legal-form words as they look after folding (dots removed, `&` gone).
    static let legalForms: Set<String> = [
        "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "haftungsbeschrankt", "se", "ev",
        "co", "inc", "ltd", "llc", "corp", "corporation", "limited", "plc", "sa", "sarl", "bv", "nv",
    ]

    /// The words of `text`: folded, split at anything but letters and digits, `ue`/`oe`/`ae`
    /// read as `u`/`o`/`a`; with `dropDots`, dots vanish instead of splitting (`e.V.` → `ev`).
    private static func words(_ text: String, dropDots: Bool) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []  // UTF-8 of the word so far
        func finishWord() {
            if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.diacriticFolded.unicodeScalars {
            if dropDots, scalar == "." { continue }
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) {
                    let follows = word.last.map { $0 == 0x75 || $0 == 0x6F || $0 == 0x61 } ?? false  // u, o, a
                    if byte != 0x65 || !follows { word.append(byte) }  // e
                } else {
                    finishWord()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                UTF8.encode(scalar) { word.append($0) }
            } else {
                finishWord()
            }
        }
        finishWord()
        return words
    }
}
