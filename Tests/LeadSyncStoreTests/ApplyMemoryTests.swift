import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A store remembers actors, lead keys and field versions from one apply transaction to the next;
/// a write the memory did not see must make it forget, or the next merge would use stale versions.
@Suite struct ApplyMemoryTests {
    /// anna creates a lead and edits its city twice; ben, who has the lead, edits the city
    /// concurrently. The hub applies anna's first edit, then ben's (the write the memory may not
    /// see), then anna's second: the city must stay in conflict between anna's second edit and ben's.
    struct History {
        let create: Op, annaFirst: Op, ben: Op, annaSecond: Op

        init() throws {
            let anna = try Store.inMemory()
            let benStore = try Store.inMemory()
            try anna.initialize(node: NodeID(validating: "anna"))
            try benStore.initialize(node: NodeID(validating: "ben"))
            let lead = try anna.add(fields: ["last_name": "Keller", "city": "Bonn"])
            create = try #require(try anna.operations(missingFrom: VectorClock()).first)
            _ = try benStore.apply([create])
            annaFirst = try anna.commit(.set([.standard(.city): "Berlin"]), to: lead)
            ben = try benStore.commit(.set([.standard(.city): "Hamburg"]), to: lead)
            annaSecond = try anna.commit(.set([.standard(.city): "Köln"]), to: lead)
        }

        /// What a store that saw every operation in this order holds.
        func expected() throws -> (leads: [Lead], conflicts: [Conflict]) {
            let reference = try Store.inMemory()
            for op in [create, annaFirst, ben, annaSecond] { _ = try reference.apply([op]) }
            return (try reference.leads(), try reference.conflicts())
        }
    }

    @Test func aCommitThroughAnotherConnectionIsNotOverlooked() throws {
        let history = try History()
        let directory = try TemporaryDirectory("apply-memory")
        let path = directory.appending("hub.sqlite").path
        let hub = try Store.open(path: path)
        let other = try Store.open(path: path)

        _ = try hub.apply([history.create])
        _ = try hub.apply([history.annaFirst])
        _ = try other.apply([history.ben])
        _ = try hub.apply([history.annaSecond])

        let expected = try history.expected()
        #expect(try hub.leads() == expected.leads)
        #expect(try hub.conflicts() == expected.conflicts)
        #expect(try hub.conflicts().count == 1)
        #expect(try hub.clock() == other.clock())
        #expect(try hub.integrityCheck().isEmpty)
    }

    /// carl's replica applies pulled operations (the apply path) and carl edits in between (a
    /// local edit on the same connection, outside it): ben's concurrent edit must meet carl's
    /// version of the city, not anna's that carl's edit superseded.
    @Test func aLocalEditBetweenPulledBatchesIsNotOverlooked() throws {
        let history = try History()
        let carl = try Store.inMemory()
        try carl.initialize(node: NodeID(validating: "carl"))
        _ = try carl.apply([history.create])
        _ = try carl.apply([history.annaFirst])
        let carlEdit = try carl.commit(.set([.standard(.city): "Essen"]), to: history.create.record)
        _ = try carl.apply([history.ben])

        let reference = try Store.inMemory()
        for op in [history.create, history.annaFirst, carlEdit, history.ben] { _ = try reference.apply([op]) }
        #expect(try carl.leads() == reference.leads())
        #expect(try carl.conflicts() == reference.conflicts())
        #expect(try carl.conflicts().count == 1)
        #expect(try carl.integrityCheck().isEmpty)
    }
}
