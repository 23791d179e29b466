import LeadSyncCore
import LeadSyncReplication
import LeadSyncStore
import Testing

/// The rules on hand-made operations, over ``MemoryReplicationState``, and the SQLite store
/// refusing the same operations with the same words.
@Suite struct ReplicationRulesTests {
    static let rep = try! ActorID(validating: "rep1~aaaa")
    static let other = try! ActorID(validating: "rep2~bbbb")
    static let hub = try! ActorID(validating: "hub~cccc")
    static let lead = try! RecordID(validating: "11111111-1111-4111-8111-111111111111")
    static let second = try! RecordID(validating: "22222222-2222-4222-8222-222222222222")

    static func op(
        _ seq: UInt64, _ change: Change, by origin: ActorID = rep, record: RecordID = lead, deps: VectorClock = VectorClock()
    ) -> Op {
        Op(origin: origin, seq: seq, deps: deps, hlc: HLC(wallMillis: 1_800_000_000_000 + Int64(seq)), record: record, change: change)
    }

    static let create = op(1, .create(fields: [.standard(.city): "Berlin"], stage: .lead, tags: ["vip"]))

    /// Applies `ops` to memory and to a fresh SQLite store; both must refuse the last one alike.
    static func refusal(_ ops: [Op]) throws -> (memory: ReplicationError?, store: StoreError?) {
        var memory = MemoryReplicationState()
        var memoryError: ReplicationError?
        do {
            for op in ops { try Replicator.apply(op, to: &memory) }
        } catch let error as ReplicationError {
            memoryError = error
        }
        let store = try Store.inMemory()
        var storeError: StoreError?
        do {
            _ = try store.apply(ops)
        } catch {
            storeError = error
        }
        return (memoryError, storeError)
    }

    @Test func aDuplicateIsSkippedAndAGapRefused() throws {
        var state = MemoryReplicationState()
        #expect(try Replicator.apply(Self.create, to: &state) == .next)
        #expect(try Replicator.apply(Self.create, to: &state) == .duplicate)
        #expect(state.log.count == 1)
        let (memory, store) = try Self.refusal([Self.create, Self.op(3, .delete)])
        #expect(memory == .seqGap(origin: Self.rep, expected: 2, got: 3))
        #expect(store?.description == memory?.description)
    }

    @Test func aMissingDependencyIsRefused() throws {
        let dependent = Self.op(1, .delete, by: Self.other, deps: VectorClock([Self.rep: 2]))
        let (memory, store) = try Self.refusal([Self.create, dependent])
        #expect(memory == .missingDependency(origin: Self.other, seq: 1, needs: Self.rep, needsSeq: 2))
        #expect(store?.description == memory?.description)
    }

    @Test func onlyTheHubWritesSettingsAndOnlyToTheSettingsRecord() throws {
        let byReplica = try Self.refusal([Self.op(1, .setting(name: "rules", value: "{}"), record: .settings)])
        #expect(byReplica.memory == .settingNotByHub(origin: Self.rep, seq: 1))
        #expect(byReplica.store == .invalidInput(byReplica.memory?.description ?? ""))
        let onLead = try Self.refusal([Self.op(1, .setting(name: "rules", value: "{}"), by: Self.hub)])
        #expect(onLead.memory == .settingOutsideSettingsRecord(origin: Self.hub, seq: 1))
        let notSetting = try Self.refusal([Self.op(1, .delete, by: Self.hub, record: .settings)])
        #expect(notSetting.memory == .notASetting(origin: Self.hub, seq: 1))
        var state = MemoryReplicationState()
        try Replicator.apply(Self.op(1, .setting(name: "rules", value: "{}"), by: Self.hub, record: .settings), to: &state)
        #expect(state.winner(of: .setting("rules"), in: .settings) == "{}")
        #expect(throws: ReplicationError.settingPushed(origin: Self.hub, seq: 1)) {
            try ReplicationRules.checkPush([Self.op(1, .setting(name: "rules", value: "{}"), by: Self.hub, record: .settings)])
        }
    }

    @Test func operationsOnLeadsNeverCreatedAreRefusedExceptPlaceholders() throws {
        let (memory, store) = try Self.refusal([Self.op(1, .delete)])
        #expect(memory == .unknownRecord(origin: Self.rep, seq: 1, record: Self.lead))
        #expect(store?.description == memory?.description)
        let merge = try Self.refusal([Self.create, Self.op(2, .merge(into: Self.second))])
        #expect(merge.memory == .unknownRecord(origin: Self.rep, seq: 2, record: Self.second))
        #expect(merge.store?.description == merge.memory?.description)
        var state = MemoryReplicationState()
        try Replicator.apply(Self.op(1, .redacted), to: &state)
        #expect(state.leads[Self.lead]?.presence == .erased)
    }

    @Test func anErasureDropsContentAndRedactsTheLog() throws {
        var state = MemoryReplicationState()
        for op in [Self.create, Self.op(2, .note("call back")), Self.op(3, .erase), Self.op(4, .set([.standard(.city): "Hamburg"]))] {
            try Replicator.apply(op, to: &state)
        }
        #expect(state.leads[Self.lead]?.presence == .erased)
        #expect(state.registers.isEmpty)
        #expect(state.events[Self.lead] == nil)
        #expect(state.log.map(\.op.change.action) == ["redacted", "redacted", "erase", "redacted"])
        let changes = state.takeChanges()
        #expect(changes.erased == [Self.lead])
        #expect(changes.appended == 4)
        #expect(state.takeChanges().isEmpty)
    }

    @Test func concurrentWritesKeepTheLoserAsAConflict() throws {
        var state = MemoryReplicationState()
        let mine = Self.op(2, .set([.standard(.city): "Hamburg"]))
        let theirs = Self.op(1, .set([.standard(.city): "München"]), by: Self.other, deps: VectorClock([Self.rep: 1]))
        for op in [Self.create, mine, theirs] { try Replicator.apply(op, to: &state) }
        let conflicts = state.conflicts()
        try #require(conflicts.count == 1)
        // Same HLC wall time plus seq: rep's op 2 is later than rep2's op 1.
        #expect(conflicts[0].winner.value == "Hamburg")
        #expect(conflicts[0].losers.map(\.value) == ["München"])
        // A write that follows both closes the conflict.
        try Replicator.apply(Self.op(3, .set([.standard(.city): "Köln"]), deps: VectorClock([Self.other: 1])), to: &state)
        #expect(state.conflicts().isEmpty)
        #expect(state.winner(of: .field(.standard(.city)), in: Self.lead) == "Köln")
    }
}
