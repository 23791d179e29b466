import LeadSyncCore
import Testing

@Suite struct FastRandomTests {
    /// Ids from the import's generator are valid version 4 UUIDs and do not repeat, within one
    /// generator or across two (each is seeded from the system on its own).
    @Test func recordIDsAreValidAndDistinct() throws {
        var first = FastRandom()
        var second = FastRandom()
        var seen = Set<String>()
        for _ in 0..<20_000 {
            for id in [RecordID.random(using: &first), RecordID.random(using: &second)] {
                #expect(try RecordID(validating: id.rawValue) == id)
                #expect(Array(id.rawValue.utf8)[14] == UInt8(ascii: "4"))
                #expect(seen.insert(id.rawValue).inserted)
            }
        }
    }

    /// The bits are spread evenly: each of the 64 bit positions is set in about half the draws.
    @Test func everyBitIsSetAboutHalfTheTime() {
        var generator = FastRandom()
        var counts = [Int](repeating: 0, count: 64)
        let draws = 20_000
        for _ in 0..<draws {
            let value = generator.next()
            for bit in 0..<64 where value >> UInt64(bit) & 1 == 1 { counts[bit] += 1 }
        }
        for count in counts {
            #expect(abs(count - draws / 2) < draws / 20, "bit set \(count) times in \(draws)")
        }
    }
}
