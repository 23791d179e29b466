import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A rep whose laptop clock is wrong cannot overwrite newer data: causality decides first.
@Suite struct ClockSkewTests {
    static let now: Int64 = 1_795_000_000_000
    static let fiveYears: Int64 = 5 * 365 * 24 * 3_600 * 1_000

    func pair() throws -> (accurate: Store, behind: Store, lead: RecordID) {
        let accurateWall = SimulatedWallClock(Self.now)
        let behindWall = SimulatedWallClock(Self.now - Self.fiveYears)
        let accurate = try Store.inMemory(now: { accurateWall.tick() })
        let behind = try Store.inMemory(now: { behindWall.tick() })
        try accurate.initialize(node: NodeID(validating: "accurate"))
        try behind.initialize(node: NodeID(validating: "behind"))
        let lead = try accurate.add(fields: ["last_name": "Weber", "city": "Berlin"])
        try replicate(from: accurate, to: behind)
        return (accurate, behind, lead)
    }

    @Test func causallyLaterEditFromSkewedReplicaWins() throws {
        let (accurate, behind, lead) = try pair()
        try accurate.commit(.set([.standard(.city): "Hamburg"]), to: lead)
        try replicate(from: accurate, to: behind)
        // The skewed replica saw "Hamburg" and chose "Bremen": its edit follows, whatever its clock says.
        let edit = try behind.commit(.set([.standard(.city): "Bremen"]), to: lead)
        try replicate(from: behind, to: accurate)
        for store in [accurate, behind] {
            #expect(try store.lead(lead)?.fields["city"] == "Bremen")
            #expect(try store.conflicts().isEmpty)
        }
        // Its own wall clock is five years behind; only the HLC it took in from the other replica keeps order.
        #expect(edit.hlc.wallMillis >= Self.now)
    }

    @Test func concurrentEditsUseTheTieBreakAndKeepTheLoser() throws {
        let (accurate, behind, lead) = try pair()
        let winning = try accurate.commit(.set([.standard(.city): "Hamburg"]), to: lead)
        let losing = try behind.commit(.set([.standard(.city): "Bremen"]), to: lead)
        try replicate(from: accurate, to: behind)
        try replicate(from: behind, to: accurate)
        // Concurrent: the higher (HLC, origin) wins; the skewed replica's HLC is lower.
        #expect(losing.hlc < winning.hlc)
        for store in [accurate, behind] {
            #expect(try store.lead(lead)?.fields["city"] == "Hamburg")
            let conflicts = try store.conflicts()
            #expect(conflicts.count == 1)
            let conflict = try #require(conflicts.first)
            #expect(conflict.field == "city")
            #expect(conflict.winner.value == "Hamburg")
            #expect(conflict.winner.origin == winning.origin)
            #expect(conflict.loser.value == "Bremen")
            #expect(conflict.loser.origin == losing.origin)
        }
    }

    @Test func exactHLCTieIsBrokenByOrigin() throws {
        let a = try Store.inMemory(now: { Self.now })
        let b = try Store.inMemory(now: { Self.now })
        try a.initialize(node: NodeID(validating: "aaa"))
        try b.initialize(node: NodeID(validating: "bbb"))
        let lead = try a.add(fields: ["last_name": "Tie"])
        try replicate(from: a, to: b)
        let fromA = try a.commit(.set([.standard(.company): "A GmbH"]), to: lead)
        let fromB = try b.commit(.set([.standard(.company): "B GmbH"]), to: lead)
        try replicate(from: a, to: b)
        try replicate(from: b, to: a)
        #expect(fromA.hlc == fromB.hlc)
        let expected = fromA.origin > fromB.origin ? "A GmbH" : "B GmbH"
        #expect(try a.lead(lead)?.fields["company"] == expected)
        #expect(try b.lead(lead)?.fields["company"] == expected)
    }
}

/// The stage never moves backwards by accident, but a deliberate later change does.
@Suite struct LifecycleMergeTests {
    @Test func concurrentSQLBeatsStaleMQLAndLaterMQLWins() throws {
        let a = try Store.inMemory(now: { 2_000 })
        let b = try Store.inMemory(now: { 9_000 })
        try a.initialize(node: NodeID(validating: "rep-a"))
        try b.initialize(node: NodeID(validating: "rep-b"))
        let lead = try a.add(fields: ["last_name": "Schulz"])
        try replicate(from: a, to: b)
        try a.commit(.stage(.sql), to: lead)
        // b's stale device writes mql concurrently, with a *higher* HLC: the advanced stage still wins.
        try b.commit(.stage(.mql), to: lead)
        try replicate(from: a, to: b)
        try replicate(from: b, to: a)
        #expect(try a.lead(lead)?.stage == .sql)
        #expect(try b.lead(lead)?.stage == .sql)
        // A rep who has seen sql and deliberately sets mql moves it back.
        try a.commit(.stage(.mql), to: lead)
        try replicate(from: a, to: b)
        #expect(try a.lead(lead)?.stage == .mql)
        #expect(try b.lead(lead)?.stage == .mql)
    }

    @Test func concurrentAddAndRemoveOfATagKeepsTheTag() throws {
        let a = try Store.inMemory()
        let b = try Store.inMemory()
        try a.initialize(node: NodeID(validating: "rep-a"))
        try b.initialize(node: NodeID(validating: "rep-b"))
        let lead = try a.add(fields: ["last_name": "Tag"], tags: ["vip"])
        try replicate(from: a, to: b)
        try a.commit(.untag(["vip"]), to: lead)
        try b.commit(.tag(["vip"]), to: lead)
        try replicate(from: a, to: b)
        try replicate(from: b, to: a)
        #expect(try a.lead(lead)?.tags == ["vip"])
        #expect(try b.lead(lead)?.tags == ["vip"])
    }

    @Test func concurrentEditOfDeletedLeadSurvivesRestore() throws {
        let a = try Store.inMemory()
        let b = try Store.inMemory()
        try a.initialize(node: NodeID(validating: "rep-a"))
        try b.initialize(node: NodeID(validating: "rep-b"))
        let lead = try a.add(fields: ["last_name": "Gone"])
        try replicate(from: a, to: b)
        try a.commit(.delete, to: lead)
        try b.commit(.set([.standard(.phone): "+49 30 1234"]), to: lead)
        try replicate(from: a, to: b)
        try replicate(from: b, to: a)
        #expect(try b.lead(lead)?.deleted == true)
        try b.commit(.restore, to: lead)
        try replicate(from: b, to: a)
        let restored = try #require(try a.lead(lead))
        #expect(!restored.deleted)
        #expect(restored.fields["phone"] == "+49 30 1234")
    }
}
