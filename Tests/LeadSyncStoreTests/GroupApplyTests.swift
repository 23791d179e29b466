import LeadSyncCore
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
}
