import LeadSyncCore
import LeadSyncProtocol

enum Fixture {
    static let anna = try! NodeID(validating: "anna")
    static let annaActor = try! ActorID(validating: "anna~a1")
    static let benActor = try! ActorID(validating: "ben~b1")
    static let record = try! RecordID(validating: "0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b")

    static func hello(clock: VectorClock = VectorClock(), wall: Int64 = 1_000) -> Hello {
        Hello(node: anna, actor: annaActor, token: "secret", clock: clock, wall: wall)
    }

    static func op(_ origin: ActorID = annaActor, seq: UInt64, change: Change = .note("hi")) -> Op {
        Op(origin: origin, seq: seq, deps: VectorClock(), hlc: HLC(wallMillis: 1_000 + Int64(seq)), record: record, change: change)
    }

    /// Log entries whose bodies are `size` bytes each.
    static func entries(_ count: Int, size: Int = 10, from start: Int64 = 1) -> [(position: Int64, body: String)] {
        (0..<count).map { (start + Int64($0), String(repeating: "x", count: size)) }
    }
}
