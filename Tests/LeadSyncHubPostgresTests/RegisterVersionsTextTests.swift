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
