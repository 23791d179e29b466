import LeadSyncCore
import LeadSyncProtocol
import Testing

/// The hub's clock policy: how far ahead of its own wall clock an operation may be stamped.
@Suite struct ClockPolicyTests {
    static let now: Int64 = 1_796_000_000_000

    static func op(seq: UInt64, wall: Int64, counter: UInt16 = 0) -> Op {
        Op(origin: Fixture.annaActor, seq: seq, deps: VectorClock(), hlc: HLC(wallMillis: wall, counter: counter),
           record: Fixture.record, change: .delete)
    }

    @Test func clocksBehindAndUpToTheLimitAheadPass() {
        let policy = ClockPolicy()
        let ops = [
            Self.op(seq: 1, wall: 0), Self.op(seq: 2, wall: Self.now - 5 * 365 * 86_400_000),
            Self.op(seq: 3, wall: Self.now + ClockPolicy.defaultMaxAheadMillis, counter: .max),
        ]
        #expect(policy.refusal(for: ops, now: Self.now) == nil)
    }

    @Test func theFirstOperationTooFarAheadIsNamed() throws {
        let policy = ClockPolicy(maxAheadMillis: 60_000)
        let ops = [Self.op(seq: 1, wall: Self.now), Self.op(seq: 2, wall: Self.now + 2 * 3_600_000 + 5 * 60_000)]
        let refusal = try #require(policy.refusal(for: ops, now: Self.now))
        #expect(refusal.code == .clockAhead)
        #expect(refusal.message.hasPrefix("operation anna~a1#2 is stamped 2 h 5 min ahead of the hub's clock, which accepts at most 1 min 0 s"))
        #expect(refusal.message.contains("this laptop's clock is wrong"))
        #expect(refusal.message.utf8.count <= 1_000, "error messages are at most 1000 characters (error.schema.json)")
    }

    @Test func theLargestClockIsAheadOfAnyHubBeforeTheYear4199() throws {
        let refusal = try #require(ClockPolicy().refusal(for: [Self.op(seq: 1, wall: HLC.maxWallMillis, counter: .max)], now: Self.now))
        #expect(refusal.code == .clockAhead)
        #expect(refusal.message.contains("days ahead"))
    }

    @Test func aHugeLimitDoesNotOverflow() {
        let policy = ClockPolicy(maxAheadMillis: .max)
        #expect(policy.refusal(for: [Self.op(seq: 1, wall: HLC.maxWallMillis)], now: Self.now) == nil)
    }
}
