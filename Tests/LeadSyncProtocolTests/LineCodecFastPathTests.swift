import Foundation
import LeadSyncCore
@testable import LeadSyncProtocol
import LeadSyncTestSupport
import Testing

/// `ops` lines take a fast path past `JSONDecoder`; every line must still decode, or fail with the
/// same error, exactly as through `JSONDecoder` alone. The random cases are seeded; a failure names
/// its seed, which replays it with LEADSYNC_CODEC_SEED=<seed> LEADSYNC_CODEC_CASES=1.
@Suite struct LineCodecFastPathTests {
    static let cases = Int(ProcessInfo.processInfo.environment["LEADSYNC_CODEC_CASES"] ?? "") ?? 500
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["LEADSYNC_CODEC_SEED"] ?? "") ?? 1

    @Test(arguments: LineCodecTests.messages)
    func everyMessageDecodesAsThroughJSONDecoder(_ message: Message) throws {
        let line = Array(LineCodec.encode(message).utf8)
        #expect(try LineCodec.decode(line) == LineCodec.decodeWithFoundation(line))
        if case .ops = message { #expect(fastOps(line) != nil) }
    }

    @Test func opsLinesFromOtherPeersTakeTheFastPath() throws {
        let ops = [Fixture.op(seq: 1), Fixture.op(seq: 2, change: .set([.standard(.city): "Köln"]))]
        let bodies = ops.map(\.json).joined(separator: ",")
        for line in [
            #"{"type":"ops","ops":["# + bodies + "]}",
            " {\n  \"ops\" : [ " + ops.map(\.json).joined(separator: " ,\r\n ") + " ] ,\t\"type\" : \"ops\" }\r\n",
            #"{"ops":["# + bodies + #"],"type":"\u006Fps"}"#,
        ] {
            let bytes = Array(line.utf8)
            #expect(fastOps(bytes) == ops, "\(line)")
            #expect(try LineCodec.decodeWithFoundation(bytes) == .ops(ops), "\(line)")
        }
    }

    /// A hub keeps each pushed operation's text as it stands in the line, whatever its spacing and
    /// key order, to store and forward it byte-for-byte; each text is the same operation.
    @Test func opsLinesKeepEachOperationsText() throws {
        let first = Fixture.op(seq: 1)
        let second = Fixture.op(seq: 2, change: .set([.standard(.city): "Köln"]))
        // The first operation as another peer might have written it: spaced out, not canonical.
        let spaced = "{ " + first.json.dropFirst().replacingOccurrences(of: ",", with: " ,\t").replacingOccurrences(of: ":", with: " : ")
        let line = #"{"type":"ops","ops":[ "# + spaced + " ,\n " + second.json + " ]}"
        let decoded = try LineCodec.decodeKeepingOpText(Array(line.utf8))
        let texts = try #require(decoded.opTexts)
        #expect(texts == [spaced, second.json])
        #expect(decoded.message == .ops([first, second]))
        for (op, text) in zip([first, second], texts) {
            #expect(Array(text.utf8).withUnsafeBufferPointer(OpParser.op(in:)) == op)
        }

        // Lines only JSONDecoder reads, and other messages, carry no texts.
        let future = #"{"ops":["# + second.json + #"],"type":"ops","future":1}"#
        #expect(try LineCodec.decodeKeepingOpText(Array(future.utf8)).opTexts == nil)
        #expect(try LineCodec.decodeKeepingOpText(Array(LineCodec.encode(.done).utf8)).opTexts == nil)
    }

    /// Lines `JSONDecoder` takes that the fast path leaves to it.
    @Test func unusualLinesStillDecode() throws {
        let body = Fixture.op(seq: 1).json
        let other = Fixture.op(seq: 2).json
        for line in [
            #"{"ops":["# + body + #"],"type":"ops","future":{"x":[1]}}"#,
            #"{"ops":["# + body + #"],"ops":["# + other + #"],"type":"ops"}"#,
            #"{"ops":["# + body + #"],"type":"ops","type":"ops"}"#,
            #"{"ops":["# + body + #",],"type":"ops"}"#,
            #"{"ops":["# + body.dropLast() + #","future":1}],"type":"ops"}"#,
        ] {
            let bytes = Array(line.utf8)
            #expect(fastOps(bytes) == nil, "\(line)")
            #expect(outcome(bytes) == .success(try LineCodec.decodeWithFoundation(bytes)), "\(line)")
        }
    }

    @Test func refusalsKeepTheirCodesAndMessages() {
        let good = Fixture.op(seq: 1).json
        let lines = LineCodecTests.refusals.map(\.0) + [
            LineCodec.encodeOps(bodies: [good, #"{"origin":"anna~a1"}"#]),
            LineCodec.encodeOps(bodies: [good, good.replacingOccurrences(of: #""seq":1"#, with: #""seq":0"#)]),
            #"{"ops":["# + good + #"],"type":"ack"}"#,
            #"{"ops":["# + good + #"]}"#,
            #"{"ops":["# + good + #"],"type":"ops"} trailing"#,
        ]
        for line in lines {
            let bytes = Array(line.utf8)
            #expect(fastOps(bytes) == nil, "\(line)")
            let expected = foundationOutcome(bytes)
            #expect(outcome(bytes) == expected, "\(line)")
            if case .success = expected { Issue.record("\(line) decoded") }
        }
    }

    /// Random byte edits of valid `ops` lines: each decodes to the same message, or fails with the
    /// same error, as through `JSONDecoder` alone.
    @Test func editedLinesDecodeOrFailAsThroughJSONDecoder() {
        var fast = 0
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.cases)) {
            var random = SeededGenerator(seed: seed)
            let ops = (1...Int.random(in: 1...4, using: &random)).map { Self.randomOp(seq: UInt64($0), using: &random) }
            let line = Array(LineCodec.encode(.ops(ops)).utf8)
            #expect(fastOps(line) == ops, "seed \(seed)")
            for _ in 0..<4 {
                let mutant = Self.mutated(line, using: &random)
                if fastOps(mutant) != nil { fast += 1 }
                #expect(outcome(mutant) == foundationOutcome(mutant), "seed \(seed): \(String(decoding: mutant, as: UTF8.self))")
            }
        }
        #expect(fast > 0)
    }

    @Test func linesWithoutContiguousStorageDecodeToo() throws {
        let message = Message.ops([Fixture.op(seq: 1)])
        let line = Array(LineCodec.encode(message).utf8)
        #expect(try LineCodec.decode(line.lazy.map { $0 }) == message)
    }

    private func fastOps(_ line: [UInt8]) -> [Op]? {
        line.withUnsafeBufferPointer(LineCodec.decodeOps)
    }

    private func outcome(_ line: [UInt8]) -> Result<Message, ProtocolError> {
        Result { () throws(ProtocolError) in try LineCodec.decode(line) }
    }

    private func foundationOutcome(_ line: [UInt8]) -> Result<Message, ProtocolError> {
        Result { () throws(ProtocolError) in try LineCodec.decodeWithFoundation(line) }
    }

    private static let pieces = ["a", "Z", "7", " ", "ü", "ß", "\"", "\\", "/", "\n", "\t", "\r", "\u{7F}", "\u{A0}", "😀", "中"]

    private static func randomOp(seq: UInt64, using random: inout SeededGenerator) -> Op {
        let text = (0..<Int.random(in: 1...10, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        let change: Change = switch Int.random(in: 0..<4, using: &random) {
        case 0: .set([.standard(.city): try! LeadValidator.normalize(text, for: .standard(.city))])
        case 1: .tag([(try? LeadValidator.tag(text)) ?? "vip"])
        case 2: .setting(name: "rules", value: text)
        default: .note(try! LeadValidator.note(text + "!"))
        }
        return Fixture.op(seq: seq, change: change)
    }

    private static func mutated(_ line: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var line = line
        let interesting = Array(#"{}[]:,"\.-0123456789 e"#.utf8) + [0x00, 0x80, 0xC3, 0xFF]
        let index = Int.random(in: 0..<line.count, using: &random)
        let byte = Bool.random(using: &random) ? interesting.randomElement(using: &random)! : line[index] ^ 1
        switch Int.random(in: 0..<3, using: &random) {
        case 0: line[index] = byte
        case 1: line.remove(at: index)
        default: line.insert(byte, at: index)
        }
        return line
    }
}
