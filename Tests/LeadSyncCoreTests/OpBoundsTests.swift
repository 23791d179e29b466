import Foundation
import LeadSyncCore
import Testing

/// The bounds every receiver applies to an operation, and the hybrid clock that can never be
/// pushed out of them (Protocol/README.md section 4, "Bounds and clock policy").
@Suite struct OpBoundsTests {
    static let record = "5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f"

    static func op(seq: String = "1", deps: String? = nil, hlc: String = "[1,0]", rest: String = #""action":"delete""#) -> String {
        let depsKey = deps.map { #""deps":\#($0),"# } ?? ""
        return #"{"origin":"anna~k3f9x2","seq":\#(seq),\#(depsKey)"hlc":\#(hlc),"record":"\#(record)",\#(rest)}"#
    }

    /// Both decoders: the fast path and `JSONDecoder`.
    func decoded(_ text: String) -> (fast: Op?, slow: Op?) {
        let bytes = Array(text.utf8)
        return (bytes.withUnsafeBufferPointer(OpParser.op(in:)), try? JSONDecoder().decode(Op.self, from: Data(bytes)))
    }

    @Test func theLargestAcceptedClockAndSeqDecodeOnBothPaths() throws {
        let text = Self.op(seq: "9007199254740991", deps: #"{"ben~b1":9007199254740991}"#, hlc: "[70368744177663,65535]")
        let (fast, slow) = decoded(text)
        let op = try #require(fast)
        #expect(slow == op)
        #expect(op.hlc == HLC.max)
        #expect(op.seq == Op.maxSeq)
    }

    @Test(arguments: [
        op(hlc: "[70368744177664,0]"), op(hlc: "[140737488355327,65535]"), op(hlc: "[9223372036854775807,0]"),
        op(hlc: "[1e-400,0]"), op(hlc: "[0.5,0]"), op(hlc: "[1,1e-400]"), op(hlc: "[-1,0]"),
        op(seq: "9007199254740992"), op(seq: "9007199254740993"), op(seq: "18446744073709551615"), op(seq: "1e-400"),
        op(seq: "2", deps: #"{"anna~k3f9x2":1}"#), op(deps: #"{"ben~b1":9007199254740992}"#),
        op(deps: #"{"ben~b1":1e-400}"#), op(rest: #""action":"activity","type":"call","at":1e-400"#),
    ])
    func outOfBoundsOpsAreRefusedByBothDecoders(_ text: String) {
        let (fast, slow) = decoded(text)
        #expect(fast == nil)
        #expect(slow == nil)
    }

    @Test func plainSpellingsOfIntegersStillDecode() throws {
        // Exact integers in other spellings are no threat: JSONDecoder keeps taking them.
        let op = try #require(decoded(Self.op(seq: "1e0", hlc: "[100.0,2]")).slow)
        #expect(op.seq == 1)
        #expect(op.hlc == HLC(wallMillis: 100, counter: 2))
    }

    @Test func aGeneratorThatTookInTheLargestClockNeverLeavesTheRange() {
        var generator = HLCGenerator()
        generator.observe(HLC.max, now: 1_800_000_000_000)
        for _ in 0..<70_000 {
            let next = generator.tick(now: 1_800_000_000_000)
            #expect(next.packed >= 0 && next.wallMillis <= HLC.maxWallMillis)
            if next != HLC.max { Issue.record("left HLC.max: \(next)"); break }
        }
    }

    @Test func oneBelowTheLargestClockStillAdvancesStrictly() {
        var generator = HLCGenerator()
        generator.observe(HLC(wallMillis: HLC.maxWallMillis - 1, counter: .max), now: 5)
        let first = generator.tick(now: 5)
        #expect(first == HLC(wallMillis: HLC.maxWallMillis))
        #expect(generator.tick(now: 5) > first)
    }

    @Test func wallClocksOutOfRangeAreClamped() {
        var generator = HLCGenerator()
        #expect(generator.tick(now: .max) == HLC(wallMillis: HLC.maxWallMillis))
        var behind = HLCGenerator()
        #expect(behind.tick(now: -5) == HLC(wallMillis: 0, counter: 1))
        // A stored clock that overflowed before the bound existed comes back as the largest.
        #expect(HLCGenerator(last: HLC(packed: .min)).last == HLC.max)
    }

    @Test func depsProblemsAreNamed() throws {
        let anna = try ActorID(validating: "anna~k3f9x2")
        let ben = try ActorID(validating: "ben~b1")
        #expect(Op.depsProblem(VectorClock([ben: 3]), origin: anna) == nil)
        #expect(Op.depsProblem(VectorClock([anna: 1]), origin: anna)?.contains("own origin") == true)
        #expect(Op.depsProblem(VectorClock([ben: Op.maxSeq + 1]), origin: anna)?.contains("2^53") == true)
    }
}

/// Text stays whole: NUL and the other C0 controls but TAB, LF and CR are refused everywhere.
@Suite struct ControlCharacterTests {
    @Test(arguments: [
        ("nul\u{0}x", 4, 0x0), ("\u{1B}[31mred", 1, 0x1B), ("Zoë\u{7}", 4, 0x7), ("a\u{B}b", 2, 0xB), ("e\u{301}\u{0}", 2, 0x0),
    ] as [(String, Int, UInt32)])
    func fieldsNameTheFieldAndThePosition(value: String, position: Int, scalar: UInt32) {
        #expect(throws: LeadError.controlCharacter(field: "company", position: position, scalar: scalar)) {
            try LeadValidator.normalize(value, for: .standard(.company))
        }
    }

    @Test func tabsAndLineBreaksStayAllowedAndCollapse() throws {
        #expect(try LeadValidator.normalize("a\tb\r\nc", for: .standard(.city)) == "a b c")
        #expect(try LeadValidator.note("line one\nline two") == "line one\nline two")
        #expect(try LeadValidator.settingValue("rule\twith tab\r\n") == "rule\twith tab\r\n")
    }

    @Test func everyKindOfTextRefusesThem() {
        #expect(throws: LeadError.controlCharacter(field: "note", position: 3, scalar: 0)) { try LeadValidator.note("ab\u{0}") }
        #expect(throws: LeadError.controlCharacter(field: "how", position: 1, scalar: 2)) {
            try LeadValidator.consent(channel: .email, granted: true, how: "\u{2}form", doubleOptIn: false, at: nil)
        }
        #expect(throws: LeadError.controlCharacter(field: "setting value", position: 2, scalar: 0)) { try LeadValidator.settingValue("a\u{0}") }
        #expect(throws: LeadError.self) { try LeadValidator.tag("hot\u{0}") }
    }

    @Test func theMessageSaysWhatToDo() {
        let message = LeadError.controlCharacter(field: "company", position: 4, scalar: 0).description
        #expect(message == "company contains the control character U+0000 at character 4: remove it (tab, line feed and "
            + "carriage return are the only control characters a value may hold); nothing was written")
    }
}
