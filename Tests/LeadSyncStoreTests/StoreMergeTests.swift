import LeadSyncCore
import LeadSyncStore
import Testing

/// Copies everything `to` lacks from `from`, the way a sync does, through the public API.
func replicate(from: Store, to: Store) throws {
    let ops = try from.operations(missingFrom: try to.clock())
    _ = try to.apply(ops)
}

@Suite struct StoreMergeTests {
    @Test func localEditsAreAppliedAndLogged() throws {
        let store = try Store.inMemory()
        try store.initialize(node: NodeID(validating: "anna"))
        let id = try store.add(fields: ["first_name": "  Jürgen ", "email": "J@Example.COM"], tags: ["fair"])
        let lead = try #require(try store.lead(id))
        #expect(lead.fields["first_name"] == "Jürgen")
        #expect(lead.fields["email"] == "J@example.com")
        #expect(lead.tags == ["fair"])
        try store.commit(.set([.standard(.company): "Acme"]), to: id)
        #expect(try store.lead(id)?.fields["company"] == "Acme")
        #expect(try store.operationLog().count == 2)
    }

    @Test func concurrentWritesConflictAndCausalWriteResolves() throws {
        let a = try Store.inMemory(now: { 1_000 })
        let b = try Store.inMemory(now: { 2_000 })
        try a.initialize(node: NodeID(validating: "a"))
        try b.initialize(node: NodeID(validating: "b"))
        let id = try a.add(fields: ["last_name": "Muster"])
        try replicate(from: a, to: b)
        try a.commit(.set([.standard(.city): "Berlin"]), to: id)
        try b.commit(.set([.standard(.city): "Hamburg"]), to: id)
        try replicate(from: a, to: b)
        try replicate(from: b, to: a)
        #expect(try a.lead(id)?.fields["city"] == "Hamburg")
        #expect(try b.lead(id)?.fields["city"] == "Hamburg")
        let conflicts = try a.conflicts()
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.loser.value == "Berlin")
        #expect(try b.conflicts() == conflicts)
        try a.commit(.set([.standard(.city): "Köln"]), to: id)
        try replicate(from: a, to: b)
        #expect(try b.lead(id)?.fields["city"] == "Köln")
        #expect(try b.conflicts().isEmpty)
        #expect(try a.conflicts().isEmpty)
    }
}

