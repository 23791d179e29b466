import Foundation
import LeadSyncCore
import LeadSyncStore
import Testing

/// Exchanges everything each replica lacks, both ways, through the library: what a sync does.
private func exchange(_ a: Home, _ b: Home) throws {
    let storeA = try Store.open(path: a.databasePath)
    let storeB = try Store.open(path: b.databasePath)
    _ = try storeB.apply(storeA.operations(missingFrom: storeB.clock()))
    _ = try storeA.apply(storeB.operations(missingFrom: storeA.clock()))
}

@Suite struct ConflictTests {
    @Test func concurrentSetsShowAsConflictWithBothValuesAndWriters() throws {
        let a = try Home(node: "anna")
        let b = try Home(node: "bert")
        let id = try a.add(["--first-name", "Clara", "--city", "Kiel"])
        try exchange(a, b)
        #expect(try b.json(LeadOut.self, ["show", id]).fields["city"] == "Kiel")
        #expect(try b.json([ConflictOut].self, ["conflicts"]).isEmpty)

        // Concurrent edits: neither replica has seen the other's.
        try a.ok(["set", id, "city=Berlin", "phone=030 1111"])
        try b.ok(["set", id, "city=Hamburg"])
        try exchange(a, b)

        let actorA = try a.json(StatusOut.self, ["status"]).actor
        let actorB = try b.json(StatusOut.self, ["status"]).actor
        let conflicts = try a.json([ConflictOut].self, ["conflicts"])
        try #require(conflicts.count == 1)
        let conflict = conflicts[0]
        #expect(conflict.lead == id)
        #expect(conflict.field == "city")
        let writers = [conflict.winner.value: conflict.winner.writer, conflict.loser.value: conflict.loser.writer]
        #expect(writers == ["Berlin": actorA, "Hamburg": actorB])
        #expect(conflict.winner.node == String(conflict.winner.writer.prefix { $0 != "~" }))
        let seqs = [conflict.winner.value: conflict.winner.seq, conflict.loser.value: conflict.loser.seq]
        #expect(seqs == ["Berlin": 2, "Hamburg": 1])
        let winnerTime = try #require(parseTime(conflict.winner.at))
        let loserTime = try #require(parseTime(conflict.loser.at))
        #expect(winnerTime >= loserTime)
        // Both replicas agree on the winner and on the conflict list.
        #expect(try b.json([ConflictOut].self, ["conflicts", String(id.prefix(8))]) == conflicts)
        #expect(try a.json(LeadOut.self, ["show", id]).fields["city"] == conflict.winner.value)
        #expect(try b.json(LeadOut.self, ["show", id]).fields["city"] == conflict.winner.value)
        #expect(try a.json(LeadOut.self, ["show", id]).fields["phone"] == "030 1111")
        #expect(try a.json(StatusOut.self, ["status"]).openConflicts == 1)

        // show lists the lead's conflicts; the text forms name both values and writers.
        #expect(try a.json(DetailOut.self, ["show", id]).conflicts == conflicts)
        let text = try a.ok(["conflicts"])
        for fragment in ["\"Berlin\"", "\"Hamburg\"", actorA, actorB, "city", String(id.prefix(8)), conflict.loser.at, "1 open conflict"] {
            #expect(text.contains(fragment), "\(fragment) missing from: \(text)")
        }
        #expect(try a.ok(["show", id]).contains("Open conflicts (1):"))

        // A write that follows both resolves it everywhere.
        try a.ok(["set", id, "city=Köln"])
        try exchange(a, b)
        #expect(try a.json([ConflictOut].self, ["conflicts"]).isEmpty)
        #expect(try b.json([ConflictOut].self, ["conflicts"]).isEmpty)
        #expect(try b.json(LeadOut.self, ["show", id]).fields["city"] == "Köln")
        #expect(try b.ok(["conflicts"]) == "0 open conflicts\n")
    }
}
