import LeadSyncCore
import LeadSyncProtocol
import Testing

@Suite struct LineCodecTests {
    static let messages: [Message] = [
        .hello(Fixture.hello(clock: VectorClock([Fixture.annaActor: 3]))),
        .welcome(Welcome(hub: "hub-1", clock: VectorClock([Fixture.benActor: 2]), wall: 5, limits: Limits())),
        .ops([
            Fixture.op(seq: 1, change: .create(fields: [.standard(.lastName): "Muster"], stage: .lead, tags: ["fair"])),
            Fixture.op(seq: 2, change: .set([.standard(.city): "Köln", .custom("x_booth"): ""])),
            Fixture.op(seq: 3, change: .tag(["vip"])),
            Fixture.op(seq: 4, change: .untag(["vip"])),
            Fixture.op(seq: 5, change: .stage(.sql)),
            Fixture.op(seq: 6, change: .delete),
            Fixture.op(seq: 7, change: .restore),
            Fixture.op(seq: 8, change: .note("line one\nline \"two\"")),
        ]),
        .ack(VectorClock([Fixture.annaActor: 8])),
        .done,
        .error(ProtocolError(.seqGap, "operation anna~a1#3 arrived before anna~a1#2")),
    ]

    @Test(arguments: messages) func roundTrips(_ message: Message) throws {
        let line = LineCodec.encode(message)
        #expect(!line.contains("\n"))
        #expect(try LineCodec.decode(Array(line.utf8)) == message)
    }

    @Test func opsLineFromBodiesMatchesEncodedOps() throws {
        let message = Message.ops([Fixture.op(seq: 1), Fixture.op(seq: 2)])
        let line = LineCodec.encode(message)
        #expect(line.utf8.count > LineCodec.opsOverhead)
        #expect(try LineCodec.decode(Array(line.utf8)) == message)
    }

    @Test func unknownKeysAreIgnored() throws {
        let line = #"{"type":"ack","clock":{"anna~a1":2},"future":{"x":[1,2]}}"#
        #expect(try LineCodec.decode(Array(line.utf8)) == .ack(VectorClock([Fixture.annaActor: 2])))
    }

    static let refusals: [(String, ErrorCode)] = [
        ("", .badJSON),
        ("not json", .badJSON),
        (#"{"type":"hello""#, .badJSON),
        ("[1]", .badJSON),
        (#"{"kind":"hello"}"#, .badJSON),
        (#"{"type":7}"#, .badJSON),
        (#"{"type":"gossip"}"#, .unknownType),
        (#"{"type":"hello","protocol":2}"#, .protocolMismatch),
        (#"{"type":"welcome","protocol":3,"hub":"h"}"#, .protocolMismatch),
        (#"{"type":"hello","protocol":1,"node":"anna"}"#, .invalidMessage),
        (#"{"type":"hello","protocol":1,"node":"Anna!","actor":"anna~a1","token":"t","clock":{},"wall":1}"#, .invalidMessage),
        (#"{"type":"hello","protocol":1,"node":"anna","actor":"anna~a1","token":"t","clock":{},"wall":1,"client":""}"#, .invalidMessage),
        (#"{"type":"hello","protocol":1,"node":"anna","actor":"anna~a1","token":"t","clock":{},"wall":1,"client":"leadsync\u00001"}"#, .invalidMessage),
        (#"{"type":"hello","protocol":1,"node":"anna","actor":"anna~a1","token":"t","clock":{},"wall":1,"client":7}"#, .invalidMessage),
        ("{\"type\":\"hello\",\"protocol\":1,\"node\":\"anna\",\"actor\":\"anna~a1\",\"token\":\"t\",\"clock\":{},\"wall\":1,\"client\":\"" + String(repeating: "v", count: 65) + "\"}", .invalidMessage),
        (#"{"type":"ack","clock":{"not an actor":1}}"#, .invalidMessage),
        (#"{"type":"ops","ops":[]}"#, .invalidMessage),
        (#"{"type":"ops","ops":{}}"#, .invalidMessage),
        (#"{"type":"ops","ops":[{"origin":"anna~a1","seq":0,"hlc":[1,0],"record":"0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b","action":"delete"}]}"#, .invalidOp),
        (#"{"type":"ops","ops":[{"origin":"anna~a1","seq":1,"hlc":[1,0],"record":"0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b","action":"fly"}]}"#, .invalidOp),
        (#"{"type":"ops","ops":[{"origin":"anna~a1","seq":1,"hlc":[1,0],"record":"0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b","action":"set","fields":{"city":" Köln "}}]}"#, .invalidOp),
        (#"{"type":"error","code":"busy"}"#, .invalidMessage),
    ]

    @Test(arguments: refusals) func refusesWithTheDocumentedCode(_ line: String, _ code: ErrorCode) {
        #expect(throws: ProtocolError.self) { try LineCodec.decode(Array(line.utf8)) }
        do {
            _ = try LineCodec.decode(Array(line.utf8))
        } catch {
            #expect(error.code == code, "\(line) → \(error)")
        }
    }

    @Test func invalidOpNamesItsPositionInTheBatch() {
        let good = LineCodec.encode(.ops([Fixture.op(seq: 1)]))
        let body = String(good.dropFirst(#"{"ops":["#.count).dropLast(#"],"type":"ops"}"#.count))
        let line = LineCodec.encodeOps(bodies: [body, #"{"origin":"anna~a1"}"#])
        do {
            _ = try LineCodec.decode(Array(line.utf8))
            Issue.record("decoded")
        } catch {
            #expect(error.code == .invalidOp)
            #expect(error.message.contains("#2"))
        }
    }

    @Test func unknownErrorCodesStillDecode() throws {
        let line = #"{"type":"error","code":"from_the_future","message":"later"}"#
        #expect(try LineCodec.decode(Array(line.utf8)) == .error(ProtocolError(ErrorCode(rawValue: "from_the_future"), "later")))
    }

    @Test func batchPrefixRespectsCountAndBytes() throws {
        let byCount = try #require(OutgoingBatch.prefix(of: Fixture.entries(10), maxOps: 4, maxBytes: 1 << 20))
        #expect(byCount.bodies.count == 4 && byCount.lastPosition == 4)
        // Overhead + 3 bodies of 100 bytes + 2 commas fits in 330; a fourth does not.
        let byBytes = try #require(OutgoingBatch.prefix(of: Fixture.entries(10, size: 100), maxOps: 500, maxBytes: 330))
        #expect(byBytes.bodies.count == 3)
        #expect(LineCodec.encodeOps(bodies: byBytes.bodies).utf8.count <= 330)
        let oversized = try #require(OutgoingBatch.prefix(of: Fixture.entries(2, size: 1_000), maxOps: 500, maxBytes: 100))
        #expect(oversized.bodies.count == 1)
        #expect(OutgoingBatch.prefix(of: [], maxOps: 5, maxBytes: 100) == nil)
    }
}
