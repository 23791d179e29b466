import Foundation
import LeadSyncCore
import LeadSyncTestSupport
import Testing

/// `OpParser` is a shortcut past `JSONDecoder`: whatever it returns, `JSONDecoder` must return too.
/// The random cases are seeded; a failure names its seed, which replays it with
/// LEADSYNC_PARSER_SEED=<seed> LEADSYNC_PARSER_CASES=1.
@Suite struct OpParserTests {
    static let cases = Int(ProcessInfo.processInfo.environment["LEADSYNC_PARSER_CASES"] ?? "") ?? 2_000
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["LEADSYNC_PARSER_SEED"] ?? "") ?? 1
    static var seeds: Range<UInt64> { firstSeed..<(firstSeed + UInt64(cases)) }

    @Test func randomOpsOfEveryActionDecodeAsJSONDecoderDecodesThem() throws {
        var actions: Set<String> = []
        for seed in Self.seeds {
            var random = OpGenerator(seed: seed)
            let op = random.op()
            actions.insert(op.change.action)
            let text = Array(op.json.utf8)
            let fast = parse(text)
            #expect(fast == op, "seed \(seed): \(op.json)")
            #expect(try JSONDecoder().decode(Op.self, from: Data(text)) == op, "seed \(seed)")
            // `==` on strings ignores differences in Unicode normalisation; the wire form does not.
            #expect(fast.map { Array($0.json.utf8) } == text, "seed \(seed)")
        }
        #expect(actions.count == 13 || Self.cases < 200)
    }

    @Test func otherSpellingsOfTheSameOpDecodeAlike() throws {
        for seed in Self.seeds {
            var random = OpGenerator(seed: seed)
            let op = random.op()
            let tree = try JSONDecoder().decode(JSONValue.self, from: Data(op.json.utf8))
            var speller = Speller(random: random.random)
            for escaping in [0, 0.2, 1] {
                let text = Array(speller.write(tree, escaping: escaping).utf8)
                let fast = parse(text)
                #expect(fast != nil, "seed \(seed): \(String(decoding: text, as: UTF8.self))")
                #expect(fast == op, "seed \(seed)")
                #expect(fast.map { Array($0.json.utf8) } == Array(op.json.utf8), "seed \(seed)")
                #expect(try JSONDecoder().decode(Op.self, from: Data(text)) == op, "seed \(seed)")
            }
        }
    }

    /// Random byte edits of valid ops: whenever the parser still returns an op, `JSONDecoder`
    /// must decode the same text to an equal op.
    @Test func editedOpsAreAcceptedOnlyAsJSONDecoderAcceptsThem() {
        var accepted = 0
        var mutants = 0
        for seed in Self.seeds {
            var random = OpGenerator(seed: seed)
            let text = Array(random.op().json.utf8)
            for _ in 0..<3 {
                let mutant = random.mutated(text)
                mutants += 1
                guard let fast = parse(mutant) else { continue }
                accepted += 1
                let reference = try? JSONDecoder().decode(Op.self, from: Data(mutant))
                #expect(reference == fast, "seed \(seed): \(String(decoding: mutant, as: UTF8.self))")
                #expect(reference.map { Array($0.json.utf8) } == Array(fast.json.utf8), "seed \(seed)")
            }
        }
        // Enough edits must survive (changed digits and letters) for the comparison to mean something.
        #expect(accepted * 20 > mutants || Self.cases < 200, "\(accepted) of \(mutants)")
    }

    @Test func everyEscapeDecodes() throws {
        let value = #"a\u00fcb\ud83d\ude00\/\n\r\t\"\\\u0009\u00FC\uFFFF\udbff\udfff"#
        let text = #"{"origin":"hub~1","seq":1,"hlc":[1,0],"record":"00000000-0000-4000-8000-000000000000","action":"setting","name":"rules","value":""#
            + value + #""}"#
        let op = try #require(parse(Array(text.utf8)))
        #expect(op.change == .setting(name: "rules", value: "aüb😀/\n\r\t\"\\\tü\u{FFFF}\u{10FFFF}"))
        #expect(try JSONDecoder().decode(Op.self, from: Data(text.utf8)) == op)
    }

    @Test func aBatchReusesValidatedActorsOnlyForTheSameBytes() throws {
        let good = #"{"origin":"anna~a1","seq":1,"deps":{"ben~b1":2},"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#
        func batch(secondOrigin: String) -> [Op]? {
            let second = good.replacingOccurrences(of: #""anna~a1","seq":1"#, with: #""\#(secondOrigin)","seq":2"#)
            return Array("[\(good),\(second)]".utf8).withUnsafeBufferPointer { bytes in
                var parser = OpParser(bytes)
                return parser.ops()
            }
        }
        #expect(batch(secondOrigin: "anna~a1")?.map(\.seq) == [1, 2])
        #expect(batch(secondOrigin: "anna~a")?.map(\.origin.rawValue) == ["anna~a1", "anna~a"])
        #expect(batch(secondOrigin: #"anna~a\u0031"#)?.map(\.origin.rawValue) == ["anna~a1", "anna~a1"])
        for bad in ["anna~a1 ", "anna~a1~", "Anna~a1"] {
            #expect(batch(secondOrigin: bad) == nil, "\(bad)")
        }
    }

    static let base = #""origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f""#

    /// Valid JSON that `JSONDecoder` takes but the parser leaves to it.
    @Test(arguments: [
        "{" + base + #","action":"delete","future_key":true}"#,
        "{" + base + #","action":"delete","stage":"lead"}"#,
        "{" + base + #","action":"delete","deps":null}"#,
        "{" + base + #","action":"delete","seq":1}"#,
        "{" + base + #","action":"set","fields":{"city":"A","city":"B"}}"#,
        "{" + base + #","action":"set","fields":{"c\u0069ty":"A"}}"#,
        "{" + base + #","\u0061ction":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1.0,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1e0,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0,7],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        "{" + base + #","action":"create","fields":{},"stage":"lead","tags":null}"#,
        "{" + base + #","action":"delete",}"#,
        "\u{FEFF}{" + base + #","action":"delete"}"#,
    ])
    func unusualSpellingsAreLeftToJSONDecoder(_ text: String) {
        #expect(parse(Array(text.utf8)) == nil)
        #expect((try? JSONDecoder().decode(Op.self, from: Data(text.utf8))) != nil)
    }

    /// Invalid text or invalid ops: the parser declines, `JSONDecoder` names the error.
    @Test(arguments: [
        #"{"origin":"anna~k3f9x2","seq":0,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":01,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":-1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":18446744073709551616,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"not-a-uuid","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[140737488355328,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,65536],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":"yesterday","record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"deps":{"bob":1},"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        "{" + base + #","action":"explode"}"#,
        "{" + base + #","action":"set","fields":{"email":"nope"}}"#,
        "{" + base + #","action":"set","fields":{"city":"  padded "}}"#,
        "{" + base + #","action":"set","fields":{"shoe_size":"42"}}"#,
        "{" + base + #","action":"set"}"#,
        "{" + base + #","action":"stage","stage":"won"}"#,
        "{" + base + #","action":"tag","tags":[]}"#,
        "{" + base + #","action":"tag","tags":["two words"]}"#,
        "{" + base + #","action":"activity","type":"note","text":"   "}"#,
        "{" + base + #","action":"activity","type":"nap"}"#,
        "{" + base + #","action":"activity","type":"call","at":-5}"#,
        "{" + base + #","action":"consent","channel":"fax","granted":true,"how":"form"}"#,
        "{" + base + #","action":"consent","channel":"email","granted":1,"how":"form"}"#,
        "{" + base + #","action":"consent","channel":"email","granted":true,"how":" "}"#,
        "{" + base + #","action":"merge","into":"nowhere"}"#,
        "{" + base + #","action":"setting","name":"Rules","value":"x"}"#,
        "{" + base + #","action":"setting","name":"rules","value":"a\ud800b"}"#,
        "{" + base + #","action":"setting","name":"rules","value":"a\udc00b"}"#,
        "{" + base + #","action":"setting","name":"rules","value":"a\x"}"#,
        "{" + base + "," + #""action":"setting","name":"rules","value":"a"# + "\u{1}" + #""}"#,
        "{" + base + #","action":"setting","name":"rules","value":"a\u0000b"}"#,
        "{" + base + #","action":"setting","name":"rules","value":"a\bb\f"}"#,
        "{" + base + #","action":"set","fields":{"city":"nul\u0000x"}}"#,
        "{" + base + #","action":"set","fields":{"x_note":"a\u001bb"}}"#,
        "{" + base + #","action":"activity","type":"note","text":"bell\u0007"}"#,
        "{" + base + #","action":"consent","channel":"email","granted":true,"how":"form\u0000"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[70368744177664,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[140737488355327,65535],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1e-400,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1.0000000000000000001,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1e-400,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":9007199254740993,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":2,"deps":{"anna~k3f9x2":1},"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"deps":{"ben~b1":9007199254740993},"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"deps":{"ben~b1":1e-400},"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        "{" + base + #","action":"activity","type":"call","at":1e-400}"#,
        "{" + base + #","action":"delete"} x"#,
        "{" + base + #","action":"delete""#,
        "[{" + base + #","action":"delete"}]"#,
    ])
    func invalidOpsAreDeclined(_ text: String) {
        #expect(parse(Array(text.utf8)) == nil)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Op.self, from: Data(text.utf8)) }
    }

    @Test(arguments: [
        [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xF0, 0x9F, 0x98],
    ] as [[UInt8]])
    func malformedUTF8IsDeclined(_ bytes: [UInt8]) {
        let text = Array(("{" + Self.base + #","action":"setting","name":"rules","value":"a"#).utf8) + bytes
            + Array(#"b"}"#.utf8)
        #expect(parse(text) == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Op.self, from: Data(text)) }
    }

    private func parse(_ text: [UInt8]) -> Op? {
        text.withUnsafeBufferPointer(OpParser.op(in:))
    }
}

/// Random valid operations of every action, with values full of what JSON must escape.
private struct OpGenerator {
    var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// Pieces of text: JSON's special characters, controls, Unicode spaces, combining marks,
    /// multi-byte and astral characters.
    static let pieces = [
        "a", "b", "Z", "7", " ", "  ", "ü", "Ö", "ß", "é", "e\u{301}", "\"", "\\", "/", "\n", "\r\n", "\t",
        "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{A0}", "\u{2028}",
        "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "😀", "👩‍💻", "🇩🇪", "中", "\u{10FFFF}", "<", "'", "{", "]", ":", ",", "@",
    ]

    mutating func op() -> Op {
        let origin = actor()
        var deps: [ActorID: UInt64] = [:]
        for _ in 0..<pick([0, 0, 1, 3]) { deps[actor()] = number() }
        deps[origin] = nil
        return Op(
            origin: origin, seq: max(1, number()), deps: VectorClock(deps),
            hlc: HLC(
                wallMillis: pick([0, HLC.maxWallMillis, Int64.random(in: 0...HLC.maxWallMillis, using: &random)]),
                counter: .random(in: 0...(.max), using: &random)),
            record: RecordID.random(using: &random), change: change())
    }

    mutating func change() -> Change {
        switch Int.random(in: 0..<13, using: &random) {
        case 0: return .create(fields: fields(count: 0...8), stage: pick(LifecycleStage.allCases), tags: tags(count: 0...3))
        case 1: return .set(fields(count: 0...4))
        case 2: return .delete
        case 3: return .restore
        case 4: return .tag(tags(count: 1...3))
        case 5: return .untag(tags(count: 1...3))
        case 6: return .stage(pick(LifecycleStage.allCases))
        case 7: return .activity(valid { generator throws(LeadError) in
            let type = generator.pick(ActivityType.allCases)
            return try LeadValidator.activity(type: type, text: generator.text(), at: generator.time())
        })
        case 8: return .consent(valid { generator throws(LeadError) in
            try LeadValidator.consent(
                channel: generator.pick(ConsentChannel.allCases), granted: generator.pick([true, false]), how: generator.text(),
                doubleOptIn: generator.pick([true, false]), at: generator.time())
        })
        case 9: return .merge(into: RecordID.random(using: &random))
        case 10: return .erase
        case 11:
            let name = String((0..<Int.random(in: 1...32, using: &random)).map { _ in pick(Array("abcxyz_")) })
            return .setting(name: name, value: valid { generator throws(LeadError) in try LeadValidator.settingValue(generator.text()) })
        default: return .redacted
        }
    }

    mutating func fields(count: ClosedRange<Int>) -> [FieldName: String] {
        var fields: [FieldName: String] = [:]
        for _ in 0..<Int.random(in: count, using: &random) {
            let field: FieldName = pick([true, true, false]) ? .standard(pick(LeadField.allCases)) : .custom("x_" + word(1...8))
            fields[field] = valid { generator throws(LeadError) in
                try LeadValidator.normalize(generator.candidate(for: field), for: field)
            }
        }
        return fields
    }

    mutating func tags(count: ClosedRange<Int>) -> [String] {
        (0..<Int.random(in: count, using: &random)).map { _ in
            valid { generator throws(LeadError) in try LeadValidator.tag(generator.text()) }
        }
    }

    /// A value that may or may not be valid for `field`; the caller keeps only valid ones.
    mutating func candidate(for field: FieldName) -> String {
        switch field {
        case .standard(.email): return email()
        case .standard(.owner): return pick([true, false]) ? email() : word(1...10).uppercased()
        case .standard(.phone): return String((0..<Int.random(in: 3...16, using: &random)).map { _ in pick(Array("0123456789 +-()/.")) })
        case .standard(.source): return pick(LeadSource.allCases).rawValue.uppercased()
        case .standard(.kind): return pick(LeadKind.allCases).rawValue
        default: return pick(["", text()])
        }
    }

    mutating func email() -> String {
        let local = text().filter { $0 != "@" && !$0.isWhitespace }
        let domain = (0..<Int.random(in: 1...3, using: &random)).map { _ in pick([word(1...6), "Müller", "x-1"]) }
        return (local.isEmpty ? "a" : local) + "@" + domain.joined(separator: ".") + "." + pick(["de", "COM", "Ελ"])
    }

    mutating func text() -> String {
        (0..<Int.random(in: 0...12, using: &random)).map { _ in pick(Self.pieces) }.joined()
    }

    mutating func word(_ length: ClosedRange<Int>) -> String {
        String((0..<Int.random(in: length, using: &random)).map { _ in pick(Array("abcdefghijklmnopqrstuvwxyz0123456789")) })
    }

    mutating func actor() -> ActorID {
        let name = { (generator: inout OpGenerator) in
            String((0..<Int.random(in: 1...8, using: &generator.random)).map { _ in generator.pick(Array("ab9._-")) })
        }
        return try! ActorID(validating: name(&self) + "~" + name(&self))
    }

    /// Small numbers mostly, the edges sometimes (a seq is at most `Op.maxSeq`).
    mutating func number() -> UInt64 {
        let small = UInt64.random(in: 0...1_000, using: &random)
        let any = UInt64.random(in: 0...Op.maxSeq, using: &random)
        return pick([0, 1, small, any, Op.maxSeq])
    }

    mutating func time() -> Int64? {
        pick([nil, 0, Int64.random(in: 0..<(1 << 47), using: &random)])
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    /// The first value `make` does not refuse.
    mutating func valid<T>(_ make: (inout OpGenerator) throws(LeadError) -> T) -> T {
        while true {
            if let value = try? make(&self) { return value }
        }
    }

    /// `text` with one to three random edits: bytes replaced, dropped, inserted or repeated.
    mutating func mutated(_ text: [UInt8]) -> [UInt8] {
        var text = text
        let interesting = Array(#"{}[]:,"\/.-+eE0123456789 tfnu"#.utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xED, 0xFF]
        for _ in 0..<Int.random(in: 1...3, using: &random) where !text.isEmpty {
            let index = Int.random(in: 0..<text.count, using: &random)
            let byte = pick([pick(interesting), UInt8.random(in: 0...255, using: &random), text[index] ^ 1])
            switch Int.random(in: 0..<4, using: &random) {
            case 0: text[index] = byte
            case 1: text.remove(at: index)
            case 2: text.insert(byte, at: index)
            default:
                let end = min(text.count, index + Int.random(in: 1...12, using: &random))
                text.insert(contentsOf: text[index..<end], at: end)
            }
        }
        return text
    }
}

/// A JSON value, read with `JSONDecoder`, to be written back in other valid spellings.
private indirect enum JSONValue: Decodable {
    case string(String)
    case number(UInt64)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [String: JSONValue] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let value = try decoder.singleValueContainer()
            if let string = try? value.decode(String.self) {
                self = .string(string)
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else {
                self = .number(try value.decode(UInt64.self))
            }
        }
    }
}

/// Writes JSON as other peers might: keys in random order, random whitespace, characters escaped
/// with `\u` (surrogate pairs beyond the BMP) at random. Keys stay unescaped: the parser leaves
/// escaped keys to `JSONDecoder`.
private struct Speller {
    var random: SeededGenerator

    mutating func write(_ value: JSONValue, escaping: Double) -> String {
        var out = space()
        switch value {
        case .string(let string): out += quoted(string, escaping: escaping)
        case .number(let number): out += String(number)
        case .bool(let bool): out += String(bool)
        case .array(let elements):
            out += "[" + elements.map { write($0, escaping: escaping) }.joined(separator: ",") + space() + "]"
        case .object(let members):
            let entries = members.shuffled(using: &random).map { key, value in
                space() + quoted(key, escaping: 0) + space() + ":" + write(value, escaping: escaping)
            }
            out += "{" + entries.joined(separator: ",") + space() + "}"
        }
        return out + space()
    }

    mutating func space() -> String {
        ["", "", "", " ", "\n", "\t", "\r\n  "].randomElement(using: &random)!
    }

    mutating func quoted(_ string: String, escaping: Double) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            let short: String? = switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\u{8}": "\\b"
            case "\u{C}": "\\f"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: nil
            }
            let mustEscape = short != nil || scalar.value < 0x20
            if mustEscape || Double.random(in: 0..<1, using: &random) < escaping {
                out += short.flatMap { Bool.random(using: &random) ? $0 : nil } ?? unicodeEscape(scalar)
            } else if scalar == "/" && Bool.random(using: &random) {
                out += "\\/"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    mutating func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        var hex = ""
        for unit in String(scalar).utf16 {
            let digits = String(unit, radix: 16)
            hex += "\\u" + String(repeating: "0", count: 4 - digits.count) + (Bool.random(using: &random) ? digits.uppercased() : digits)
        }
        return hex
    }
}
