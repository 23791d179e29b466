import Foundation
import LeadSyncCore
import Testing

@Suite struct OpCodingTests {
    let origin = try! ActorID(validating: "anna~k3f9x2")
    let record = try! RecordID(validating: "5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f")

    static let changes: [Change] = [
        .create(fields: [.standard(.lastName): "Müller", .custom("x_booth"): "A1"], stage: .lead, tags: ["vip"]),
        .set([.standard(.city): "Köln", .standard(.phone): ""]),
        .delete, .restore, .tag(["fair"]), .untag(["fair"]), .stage(.sql), .note("Met at booth, wants a demo"),
    ]

    @Test(arguments: changes)
    func everyActionRoundTrips(_ change: Change) throws {
        let op = Op(
            origin: origin, seq: 7, deps: VectorClock([try ActorID(validating: "bob~1"): 3]),
            hlc: HLC(wallMillis: 1_795_000_000_000, counter: 2), record: record, change: change)
        #expect(try JSONDecoder().decode(Op.self, from: Data(op.json.utf8)) == op)
    }

    @Test func jsonEscapesWhatJSONRequires() throws {
        let text = "Quote \" backslash \\ newline \n tab \t ümlaut"
        let op = Op(origin: origin, seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1), record: record, change: .note(text))
        #expect(try JSONDecoder().decode(Op.self, from: Data(op.json.utf8)).change == .note(text))
        #expect(!op.json.contains("\n"))
        // Other control characters are escaped too, and then refused by every receiver.
        let bell = Op(origin: origin, seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1), record: record, change: .note("bell \u{07}"))
        #expect(bell.json.contains(#"bell \u0007"#))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Op.self, from: Data(bell.json.utf8)) }
    }

    @Test func wireFormIsTheDocumentedOne() throws {
        let json = #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1795000000000,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"set","fields":{"city":"Köln"},"future_key":true}"#
        let op = try JSONDecoder().decode(Op.self, from: Data(json.utf8))
        #expect(op.change == .set([.standard(.city): "Köln"]))
        #expect(op.deps.entries.isEmpty)
    }

    @Test(arguments: [
        #"{"origin":"anna~k3f9x2","seq":0,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"not-a-uuid","action":"delete"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"explode"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"set","fields":{"email":"nope"}}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"set","fields":{"city":"  padded "}}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":[1,0],"record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"stage","stage":"won"}"#,
        #"{"origin":"anna~k3f9x2","seq":1,"hlc":"yesterday","record":"5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f","action":"delete"}"#,
    ])
    func invalidOpsAreRefused(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Op.self, from: Data(json.utf8)) }
    }
}

@Suite struct RegisterPolicyTests {
    let a = try! ActorID(validating: "a~1")
    let b = try! ActorID(validating: "b~1")

    @Test func applyingTheSameWriteTwiceChangesNothing() {
        var register = Register()
        let write = Version(origin: a, seq: 1, hlc: HLC(wallMillis: 5), value: "x")
        register.apply(write, clock: VectorClock([a: 1]))
        let once = register
        register.apply(write, clock: VectorClock([a: 1]))
        #expect(register == once)
    }

    @Test func concurrentWritesStandTogetherInAnyOrder() {
        let first = Version(origin: a, seq: 1, hlc: HLC(wallMillis: 5), value: "x")
        let second = Version(origin: b, seq: 1, hlc: HLC(wallMillis: 9), value: "y")
        var one = Register()
        one.apply(first, clock: VectorClock([a: 1]))
        one.apply(second, clock: VectorClock([b: 1]))
        var other = Register()
        other.apply(second, clock: VectorClock([b: 1]))
        other.apply(first, clock: VectorClock([a: 1]))
        #expect(one == other)
        #expect(one.winner(.lastWriterWins)?.value == "y")
        #expect(one.conflicts(.lastWriterWins).map(\.value) == ["x"])
    }

    @Test func policiesPickByMeaning() {
        var stage = Register()
        stage.apply(Version(origin: a, seq: 1, hlc: HLC(wallMillis: 1), value: "sql"), clock: VectorClock([a: 1]))
        stage.apply(Version(origin: b, seq: 1, hlc: HLC(wallMillis: 9), value: "mql"), clock: VectorClock([b: 1]))
        #expect(stage.winner(.mostAdvancedStage)?.value == "sql")
        #expect(stage.conflicts(.mostAdvancedStage).isEmpty)
        var tag = Register()
        tag.apply(Version(origin: a, seq: 1, hlc: HLC(wallMillis: 1), value: "1"), clock: VectorClock([a: 1]))
        tag.apply(Version(origin: b, seq: 1, hlc: HLC(wallMillis: 9), value: "0"), clock: VectorClock([b: 1]))
        #expect(tag.winner(RegisterKey.tag("vip").policy)?.value == "1")
        #expect(tag.winner(RegisterKey.deleted.policy)?.value == "0")
    }
}
