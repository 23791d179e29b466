import LeadSyncCore
import Testing

@Suite struct VectorClockTests {
    let a = try! ActorID(validating: "a~1")
    let b = try! ActorID(validating: "b~1")

    @Test func deltaRoundTripsThroughMerge() {
        let previous = VectorClock([a: 3, b: 1])
        let current = VectorClock([a: 3, b: 4])
        let delta = current.delta(from: previous)
        #expect(delta == VectorClock([b: 4]))
        #expect(previous.merging(delta) == current)
    }

    @Test func causalityIsDecidedByClockNotWallTime() {
        let winner = Version(origin: a, seq: 1, hlc: HLC(wallMillis: 2_000_000_000_000), value: "new")
        var register = Register()
        register.apply(winner, clock: VectorClock([a: 1]))
        // b's laptop clock is years behind, but b has seen a#1: its write supersedes.
        let later = Version(origin: b, seq: 1, hlc: HLC(wallMillis: 1_000), value: "later")
        register.apply(later, clock: VectorClock([a: 1, b: 1]))
        #expect(register.winner(.lastWriterWins)?.value == "later")
        #expect(register.conflicts(.lastWriterWins).isEmpty)
    }

    @Test func hlcNeverRunsBackwards() {
        var generator = HLCGenerator()
        let first = generator.tick(now: 5_000)
        generator.observe(HLC(wallMillis: 9_000, counter: 3), now: 5_001)
        let second = generator.tick(now: 5_002)
        #expect(first < second)
        #expect(second > HLC(wallMillis: 9_000, counter: 3))
    }
}

@Suite struct RecordIDTests {
    @Test func randomIDsAreValidVersion4UUIDs() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = RecordID.random(using: &generator)
            #expect(try RecordID(validating: id.rawValue) == id)
            let characters = Array(id.rawValue)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
        }
    }
}
