import LeadSyncCore
import LeadSyncStore
import Testing

/// Merges made concurrently on two replicas, in opposite directions or one after the other along a
/// chain: after sync every replica shows the same leads, and none disappears from `list`.
@Suite struct ConcurrentMergeTests {
    /// Two replicas that both hold leads named Keller, Kehler and Köller, each with a note, by id.
    static func replicas() throws -> (anna: Store, ben: Store, leads: [RecordID]) {
        let anna = try Store.inMemory()
        let ben = try Store.inMemory()
        try anna.initialize(node: NodeID(validating: "anna"))
        try ben.initialize(node: NodeID(validating: "ben"))
        let leads = try ["Keller", "Kehler", "Köller"].map { try anna.add(fields: ["last_name": $0]) }
        for lead in leads { try anna.commit(.note("Gespräch am Stand"), to: lead) }
        try replicate(from: anna, to: ben)
        return (anna, ben, leads.sorted())
    }

    static func visible(_ store: Store) throws -> [RecordID] {
        try store.leads(LeadFilter()).map(\.id).sorted()
    }

    @Test func oppositeMergesLeaveTheSmallerIdStanding() throws {
        let (anna, ben, leads) = try Self.replicas()
        let (first, second) = (leads[0], leads[1])
        _ = try anna.mergeDuplicate(first, into: second)
        _ = try ben.mergeDuplicate(second, into: first)
        try replicate(from: anna, to: ben)
        try replicate(from: ben, to: anna)

        for store in [anna, ben] {
            #expect(try Self.visible(store) == [first, leads[2]])
            #expect(try store.lead(second)?.mergedInto == first)
            #expect(try store.lead(first)?.mergedInto == nil)
            #expect(try store.mergedDuplicates(of: first).map(\.lead.id) == [second])
            #expect(try store.activities(for: first).count == 2)
        }
        // The standing lead can be merged on as usual, and takes its duplicate along.
        _ = try anna.mergeDuplicate(first, into: leads[2])
        try replicate(from: anna, to: ben)
        for store in [anna, ben] {
            #expect(try Self.visible(store) == [leads[2]])
            #expect(try store.mergedDuplicates(of: leads[2]).map(\.lead.id).sorted() == [first, second])
        }
    }

    /// A into B on one replica, B into C on the other: A is shown under C with B.
    @Test func aConcurrentChainEndsAtItsLastLead() throws {
        let (anna, ben, leads) = try Self.replicas()
        _ = try anna.mergeDuplicate(leads[0], into: leads[1])
        _ = try ben.mergeDuplicate(leads[1], into: leads[2])
        try replicate(from: anna, to: ben)
        try replicate(from: ben, to: anna)

        for store in [anna, ben] {
            #expect(try Self.visible(store) == [leads[2]])
            #expect(try store.lead(leads[0])?.mergedInto == leads[2])
            #expect(try store.activities(for: leads[2]).count == 3)
        }
    }

    /// A lead merged into one that is erased concurrently stands on its own again: an erased lead
    /// shows nothing, so it must not hide anything either.
    @Test func aMergeIntoAnErasedLeadIsUndone() throws {
        let (anna, ben, leads) = try Self.replicas()
        _ = try anna.mergeDuplicate(leads[0], into: leads[1])
        _ = try ben.erase(leads[1])
        try replicate(from: anna, to: ben)
        try replicate(from: ben, to: anna)

        for store in [anna, ben] {
            #expect(try Self.visible(store) == [leads[0], leads[2]])
            #expect(try store.lead(leads[0])?.mergedInto == nil)
        }
    }

    /// An undone merge replicates: the duplicate is back in `list` everywhere, it can be merged
    /// again, and undoing a lead that is not merged is refused without writing anything.
    @Test func anUndoneMergeShowsTheLeadAgainOnEveryReplica() throws {
        let (anna, ben, leads) = try Self.replicas()
        _ = try anna.mergeDuplicate(leads[1], into: leads[0])
        try replicate(from: anna, to: ben)
        #expect(try Self.visible(ben) == [leads[0], leads[2]])

        #expect(try ben.unmerge(leads[1]) == leads[0])
        try replicate(from: ben, to: anna)
        for store in [anna, ben] {
            #expect(try Self.visible(store) == leads)
            #expect(try store.lead(leads[1])?.mergedInto == nil)
            #expect(try store.mergedDuplicates(of: leads[0]).isEmpty)
            #expect(try store.activities(for: leads[0]).count == 1)
        }
        let operations = try ben.counts().operations
        #expect(throws: StoreError.self) { try ben.unmerge(leads[1]) }
        #expect(try ben.counts().operations == operations)

        _ = try ben.mergeDuplicate(leads[1], into: leads[2])
        try replicate(from: ben, to: anna)
        #expect(try Self.visible(anna) == [leads[0], leads[2]])
        #expect(try anna.lead(leads[1])?.mergedInto == leads[2])
    }
}
