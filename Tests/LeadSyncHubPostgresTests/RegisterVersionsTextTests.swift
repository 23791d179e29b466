import Foundation
import LeadSyncCore
@testable import LeadSyncHubPostgres
import Testing

/// The hand-written `register.versions` text reads what Foundation's coders wrote (rows stored by
/// earlier builds) and writes what they read, for values with quotes, escapes, control characters
/// and characters outside the BMP.
@Suite struct RegisterVersionsTextTests {
    static let values = [
        "", "Müller & Söhne", "say \"hi\"", "back\\slash", "a/b", "line\nbreak\ttab\r", "\u{01}\u{1F}",
        "😀 emoji", "中文", "\u{2028}", "{\"origin\":\"x\"}",
    ]

    static func versions() throws -> [Version] {
        try values.enumerated().map { index, value in
            Version(origin: try ActorID(validating: "rep\(index % 3)~abc\(index)"), seq: UInt64(index * 1000 + 1),
                    hlc: HLC(wallMillis: 1_765_000_000_000 + Int64(index), counter: UInt16(index * 7)), value: value)
        }
    }

    @Test func readsWhatJSONEncoderWrote() throws {
        let versions = try Self.versions()
        let stored = String(decoding: try JSONEncoder().encode(versions), as: UTF8.self)
        #expect(try RegisterVersionsText.decode(stored) == versions)
        #expect(try RegisterVersionsText.decode("[]") == [])
    }

    @Test func writesWhatJSONDecoderReads() throws {
        let versions = try Self.versions()
        let text = RegisterVersionsText.encode(versions)
        #expect(try JSONDecoder().decode([Version].self, from: Data(text.utf8)) == versions)
        #expect(try RegisterVersionsText.decode(text) == versions)
        for version in versions {
            #expect(try RegisterVersionsText.decode(RegisterVersionsText.encode([version])) == [version])
        }
    }

    @Test func readsOtherLayoutsAndRefusesBrokenText() throws {
        let version = try Self.versions()[1]
        let spaced = """
            [ {"value": "Müller & Söhne", "hlc": [1765000000001, 7], "seq": 1001, "origin": "rep1~abc1"} ]
            """
        #expect(try RegisterVersionsText.decode(spaced) == [version])
        #expect(throws: (any Error).self) { try RegisterVersionsText.decode("[{\"origin\":\"not an actor\"") }
        #expect(throws: (any Error).self) { try RegisterVersionsText.decode("[{\"origin\":\"bad id\",\"seq\":1,\"hlc\":[1,0],\"value\":\"\"}]") }
    }
}

/// The register set text (one object per record) reads back what it wrote and what Foundation's
/// coders wrote, and refuses a key that names no register.
@Suite struct RegisterSetTextTests {
    @Test func readsBackEveryKeyAndVersion() throws {
        let versions = try RegisterVersionsTextTests.versions()
        // In the order a register keeps its versions.
        let registers: [RegisterKey: [Version]] = [
            .field(try FieldName(validating: "email")): Array(versions.prefix(2)),
            .tag("say \"vip\"\n\u{01}"): [versions[2]],
            .stage: [versions[3]],
            .mergedInto: Array(versions.suffix(3)),
            .setting("scoring"): [versions[5]],
        ].mapValues { Register(versions: $0).versions }
        let text = RegisterVersionsText.encode(registers: registers.mapValues { Register(versions: $0) })
        #expect(try RegisterVersionsText.decodeRegisters(text) == registers)
        let foundation = try JSONEncoder().encode(Dictionary(uniqueKeysWithValues: registers.map { ($0.key.rawValue, $0.value) }))
        #expect(try RegisterVersionsText.decodeRegisters(String(decoding: foundation, as: UTF8.self)) == registers)
        #expect(try RegisterVersionsText.decodeRegisters("{}") == [:])
    }

    @Test func leavesOutEmptyRegistersAndRefusesUnknownKeys() throws {
        let version = try RegisterVersionsTextTests.versions()[0]
        let text = RegisterVersionsText.encode(registers: [.stage: Register(versions: [version]), .deleted: Register()])
        #expect(try RegisterVersionsText.decodeRegisters(text) == [.stage: [version]])
        #expect(throws: (any Error).self) { try RegisterVersionsText.decodeRegisters("{\"nokey\":[]}") }
        #expect(throws: (any Error).self) { try RegisterVersionsText.decodeRegisters("{\"stage\":[]") }
    }
}
