import Foundation
import LeadSyncCore
import LeadSyncTestSupport
import Testing

@Suite struct MergeRootsTests {
    /// Ids that sort in the order of their letter.
    static func id(_ letter: Character) -> RecordID {
        try! RecordID(validating: String(repeating: letter, count: 8) + "-0000-4000-8000-000000000000")
    }

    static let (a, b, c, d, e) = (id("a"), id("b"), id("c"), id("d"), id("e"))

    @Test func aPlainMergeIsShownUnderItsTarget() {
        #expect(MergeRoots.resolve([Self.b: Self.a]) == [Self.b: Self.a])
    }

    /// A into B and B into C, merged concurrently: both are shown under C, where the chain ends.
    @Test func aChainEndsAtItsLastLead() {
        #expect(MergeRoots.resolve([Self.a: Self.b, Self.b: Self.c]) == [Self.a: Self.c, Self.b: Self.c])
    }

    /// A into B on one replica and B into A on another: the smaller id stays visible.
    @Test func leadsMergedIntoEachOtherKeepTheSmallerId() {
        #expect(MergeRoots.resolve([Self.a: Self.b, Self.b: Self.a]) == [Self.b: Self.a])
        #expect(MergeRoots.resolve([Self.c: Self.b, Self.b: Self.c]) == [Self.c: Self.b])
    }

    /// A cycle C → D → B → C with E merged into D: B stands, every other lead is shown under it.
    @Test func aCycleWithATailResolvesToTheCyclesSmallestId() {
        let pointers = [Self.c: Self.d, Self.d: Self.b, Self.b: Self.c, Self.e: Self.d]
        #expect(MergeRoots.resolve(pointers) == [Self.c: Self.b, Self.d: Self.b, Self.e: Self.b])
    }

    /// Random pointer graphs: nothing is shown under a lead that is itself hidden, every hidden
    /// lead is shown under a lead its own chain of pointers reaches, and a lead with a pointer
    /// stands on its own only as the smallest id of the cycle its pointers run into.
    @Test func randomPointerGraphsHideNoLeadForGood() {
        let ids = (0..<12).map { index in
            try! RecordID(validating: String(format: "%08x", index * 0x1111) + "-0000-4000-8000-000000000000")
        }
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            var pointers: [RecordID: RecordID] = [:]
            for source in ids where Int.random(in: 0..<3, using: &generator) > 0 {
                let target = ids.randomElement(using: &generator)!
                if target != source { pointers[source] = target }
            }
            let roots = MergeRoots.resolve(pointers)
            for (lead, root) in roots {
                #expect(roots[root] == nil, "\(lead.short) is shown under \(root.short), which is hidden")
                #expect(Self.chain(from: lead, pointers).contains(root))
            }
            for lead in pointers.keys where roots[lead] == nil {
                let chain = Self.chain(from: lead, pointers)
                #expect(chain.contains(lead), "\(lead.short) stands alone outside a cycle")
                #expect(chain.allSatisfy { $0 >= lead }, "\(lead.short) is not its cycle's smallest id")
            }
        }
    }

    /// The leads a lead's pointers reach, in order, until one repeats or has no pointer.
    static func chain(from lead: RecordID, _ pointers: [RecordID: RecordID]) -> [RecordID] {
        var chain: [RecordID] = []
        var current = lead
        while let next = pointers[current], !chain.contains(next), chain.count <= pointers.count {
            chain.append(next)
            current = next
        }
        return chain
    }
}
