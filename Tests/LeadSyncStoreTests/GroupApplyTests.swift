import LeadSyncCore
import LeadSyncReplication
import LeadSyncStore
import Testing

/// Batches from concurrent sessions share one transaction but stand or fall alone.
@Suite struct GroupApplyTests {
    @Test func aRefusedBatchLeavesTheOthersAndTheCachedStateIntact() throws {
        let anna = try Store.inMemory()
        let ben = try Store.inMemory()
        let hub = try Store.inMemory()
        try anna.initialize(node: NodeID(validating: "anna"))
        try ben.initialize(node: NodeID(validating: "ben"))
        _ = try anna.add(fields: ["last_name": "A1"])
        _ = try anna.add(fields: ["last_name": "A2"])
        _ = try ben.add(fields: ["last_name": "B1"])
        let annaOps = try anna.operations(missingFrom: VectorClock())
        let benOps = try ben.operations(missingFrom: VectorClock())

        let results = try hub.apply(batches: [
            RemoteBatch(operations: [annaOps[0]]),
            // Refused: this peer may only send ben's operations.
            RemoteBatch(operations: [annaOps[1]], accept: { $0.node.rawValue == "ben" }),
            RemoteBatch(operations: benOps),
            RemoteBatch(operations: [annaOps[1]]),
        ])
        #expect(results.count == 4)
        #expect((try? results[0].get())?.applied == 1)
        #expect(throws: StoreError.self) { try results[1].get() }
        #expect((try? results[2].get())?.applied == 1)
        // anna#2 was refused in batch 2 and rolled back; batch 4 applies it as the next seq.
        #expect((try? results[3].get())?.applied == 1)
        #expect(try hub.leads().count == 3)
        #expect(Set(try hub.operationLog().map { "\($0.origin.node)#\($0.seq)" }) == ["anna#1", "anna#2", "ben#1"])
        #expect(try hub.integrityCheck().isEmpty)
    }

    /// Erasure redacts a lead's logged operations when the transaction ends, in one read of the
    /// log for every lead it erased: operations logged earlier in the same batch are redacted, and
    /// an erasure in a batch that is refused redacts nothing.
    @Test func erasuresRedactTheLogOnlyForBatchesThatCommit() throws {
        let anna = try Store.inMemory()
        let hub = try Store.inMemory()
        try anna.initialize(node: NodeID(validating: "anna"))
        let keller = try anna.add(fields: ["last_name": "Keller", "email": "keller@example.de"], note: "Keller ruft zurück")
        let weber = try anna.add(fields: ["last_name": "Weber", "email": "weber@example.de"])
        let wolf = try anna.add(fields: ["last_name": "Wolf"])
        try anna.commit(.set([.standard(.phone): "+49 30 1111"]), to: keller)
        try anna.commit(.set([.standard(.phone): "+49 30 2222"]), to: weber)
        let before = try anna.operations(missingFrom: VectorClock())
        try anna.erase(keller)
        try anna.erase(wolf)
        try anna.erase(weber)
        let erasures = Array(try anna.operations(missingFrom: VectorClock()).suffix(3))

        func bodies() throws -> String {
            try hub.operationBodies(missingFrom: VectorClock(), limit: .max).map(\.body).joined(separator: "\n")
        }
        let results = try hub.apply(batches: [
            RemoteBatch(operations: before + erasures[0...1]),
            // Refused: this peer may only send ben's operations.
            RemoteBatch(operations: [erasures[2]], accept: { $0.node.rawValue == "ben" }),
        ])
        #expect((try? results[0].get())?.applied == before.count + 2)
        #expect(throws: StoreError.self) { try results[1].get() }
        let afterGroup = try bodies()
        for secret in ["Keller", "keller@", "1111", "Wolf"] { #expect(!afterGroup.contains(secret), "\(secret) left in the log") }
        for kept in ["Weber", "weber@", "2222"] { #expect(afterGroup.contains(kept), "\(kept) redacted by a refused batch") }

        _ = try hub.apply([erasures[2]])
        let afterAll = try bodies()
        for secret in ["Weber", "weber@", "2222"] { #expect(!afterAll.contains(secret), "\(secret) left in the log") }
        #expect(try hub.operationLog().count == before.count + 3)
        #expect(try hub.operations(missingFrom: VectorClock()).filter { $0.change == .erase }.count == 3, "the erase ops stay")
        #expect(try hub.integrityCheck().isEmpty)
    }

    /// Groups are applied without savepoints first; a refusal anywhere sends the whole group to the
    /// second pass. Whichever pass commits, the store ends as if each accepted batch were applied
    /// alone, and a refused lone batch (a pulled page) keeps nothing, not even its valid prefix.
    @Test func theFirstPassAndTheSecondLeaveTheSameStore() throws {
        let anna = try Store.inMemory()
        try anna.initialize(node: NodeID(validating: "anna"))
        let first = try anna.add(fields: ["last_name": "Krämer", "city": "Köln"])
        try anna.commit(.set([.standard(.city): "Bonn"]), to: first)
        _ = try anna.add(fields: ["last_name": "Weiß"])
        let ops = try anna.operations(missingFrom: VectorClock())
        let onlyBen: @Sendable (ActorID) -> Bool = { $0.node.rawValue == "ben" }

        let lone = try Store.inMemory()
        let refused = try lone.apply(batches: [RemoteBatch(operations: ops, accept: onlyBen)])
        #expect(throws: StoreError.self) { try refused[0].get() }
        #expect(try lone.operationLog().isEmpty && lone.leads().isEmpty)

        let together = try Store.inMemory()
        let accepted = try together.apply(batches: [RemoteBatch(operations: Array(ops[0..<2])), RemoteBatch(operations: [ops[2]])])
        #expect(accepted.map { (try? $0.get())?.applied } == [2, 1])

        let separately = try Store.inMemory()
        let mixed = try separately.apply(batches: [
            RemoteBatch(operations: Array(ops[0..<2])), RemoteBatch(operations: [ops[2]], accept: onlyBen),
        ])
        #expect((try? mixed[0].get())?.applied == 2)
        #expect(throws: StoreError.self) { try mixed[1].get() }
        #expect((try separately.apply([ops[2]])).applied == 1)
        // Every store learnt the same from the same operations, whichever pass applied them.
        for store in [together, separately] {
            #expect(try store.leads() == anna.leads())
            #expect(try store.clock() == anna.clock())
            #expect(try store.integrityCheck().isEmpty)
        }
        #expect((try lone.apply(ops)).applied == 3, "a refused lone batch leaves the store usable")
        #expect(try lone.leads() == anna.leads())
    }
}
