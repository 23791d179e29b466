import Foundation
import GRDB
import LeadSyncCore
@testable import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// The folded search text: the query's fold (Swift) and the stored fold (SQL) agree byte for byte
/// on any input, and the folded copy follows every change of the lead, erasure included.
@Suite struct SearchFoldTests {
    @Test func swiftAndSQLFoldAgreeOnHostileText() throws {
        let queue = try DatabaseQueue()
        // NUL is left out: SQLite text functions stop at it (and the hostile-input rules refuse it).
        let alphabet: [String] = ["a", "e", "o", "u", "A", "E", "U", "Z", "ä", "Ä", "ö", "Ö", "ü", "Ü", "ß", "ẞ", "é", "É",
                                  "e\u{301}", " ", "%", "_", "\\", "'", "ç", "😀"]
        var generator = SeededGenerator(seed: 17)
        let sql = "SELECT \(SearchFold.sql("?"))"
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            let folded = try queue.read { db in try String.fetchOne(db, sql: sql, arguments: [text]) }
            #expect(folded == SearchFold.fold(text), "\(Array(text.unicodeScalars))")
        }
        #expect(SearchFold.fold("MÜLLER") == SearchFold.fold("Mueller"))
        #expect(SearchFold.fold("Größer") == SearchFold.fold("GROSSER"))
        #expect(SearchFold.fold("Änne") == SearchFold.fold("aenne"))
    }

    @Test func theFoldedCopyFollowsEditsNotesAndErasure() throws {
        let directory = try TemporaryDirectory("fold")
        let path = directory.appending("replica.sqlite").path
        let store = try Store.open(path: path)
        try store.initialize(node: NodeID(validating: "anna"))
        let id = try store.add(fields: ["first_name": "Jürgen", "last_name": "Müller"], note: "Treffen mit Herrn Weiß")
        let searchText = {
            try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "SELECT search_text FROM lead") ?? "" }
        }
        #expect(try searchText().contains("jurgen muller") && searchText().contains("weiss"))
        _ = try store.edit(id, [FieldAssignment(field: "city", value: "Köln")])
        #expect(try searchText().contains("koln"))
        _ = try store.addNote("zweite Notiz", to: id)
        #expect(try searchText().contains("zweite notiz"))
        var filter = LeadFilter()
        filter.text = "JÜRGEN MUELLER"
        #expect(try store.leads(filter).map(\.id) == [id])
        _ = try store.erase(id)
        let erased = try searchText()
        for personal in ["jurgen", "muller", "weiss", "koln", "notiz"] {
            #expect(!erased.contains(personal), "erasure left '\(personal)' in the folded copy: \(erased)")
        }
    }

    /// Text for the folds to trip over: umlauts and their spellings, a combining accent, LIKE's
    /// wildcards, quotes, a backslash and characters outside the BMP.
    static let hostileText: [String] = ["a", "e", "o", "u", "A", "E", "U", "Z", "ä", "Ä", "ö", "Ö", "ü", "Ü", "ß", "ẞ", "é", "É",
                                        "e\u{301}", " ", "%", "_", "\\", "'", "\"", "ç", "😀"]

    /// The store's leads, those whose `search_text` is not what the v7 SQL computes from the row,
    /// and those with an empty one.
    static func foldCensus(_ path: String) throws -> (rows: Int, differing: Int, empty: Int) {
        try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM lead") ?? 0,
             try Int.fetchOne(db, sql: """
                SELECT count(*) FROM lead WHERE search_text != \(SearchFold.searchTextSQL(lead: "lead.pk", row: "lead."))
                """) ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM lead WHERE search_text = ''") ?? -1)
        }
    }

    /// A new lead row gets its folded copy from the apply path, not from a trigger (v9): byte for
    /// byte what the v7 SQL computes from the row, for local creates (an import's too), creates
    /// received from a peer and tombstones, with and without notes.
    @Test func newRowsCarryTheFoldTheTriggerWrote() throws {
        let directory = try TemporaryDirectory("fold-insert")
        let path = directory.appending("replica.sqlite").path
        let store = try Store.open(path: path)
        try store.initialize(node: NodeID(validating: "anna"))
        let peer = try Store.inMemory()
        try peer.initialize(node: NodeID(validating: "ben"))
        var generator = SeededGenerator(seed: 29)
        let text = { (generator: inout SeededGenerator) in
            "N" + (0..<Int.random(in: 0...10, using: &generator)).map { _ in Self.hostileText.randomElement(using: &generator)! }.joined()
        }
        var created = 0
        for index in 0..<150 {
            var fields = ["last_name": text(&generator), "city": text(&generator), "x_messe": text(&generator)]
            if index % 2 == 0 { fields["first_name"] = text(&generator) }
            if index % 3 == 0 { fields["company"] = text(&generator) }
            let note = index % 5 == 0 ? text(&generator) : nil
            if index % 4 == 0 {
                let record = try peer.add(fields: fields, note: note)
                _ = try store.apply(try peer.operations(missingFrom: VectorClock()).filter { $0.record == record })
            } else {
                _ = try store.add(fields: fields, note: note)
            }
            created += 1
        }
        let erased = try peer.add(fields: ["last_name": "Gelöscht"])
        _ = try peer.erase(erased)
        // Its create reaches the replica redacted: the replica makes a tombstone row.
        _ = try store.apply(try peer.operations(missingFrom: VectorClock()).filter { $0.record == erased })

        let (rows, differing, empty) = try Self.foldCensus(path)
        #expect(rows == created + 1)
        #expect(differing == 0)
        #expect(empty == 0)
    }

    /// An edited row gets its folded copy from the apply path too (v10): after random local and
    /// received edits of standard and custom fields (cleared ones too), concurrent writes of one
    /// field, notes added in the same transaction as an edit, and erasures, every row's copy is
    /// byte for byte what the v7 SQL computes from it.
    @Test func editedRowsCarryTheFoldTheTriggerWrote() throws {
        let directory = try TemporaryDirectory("fold-update")
        let path = directory.appending("replica.sqlite").path
        let store = try Store.open(path: path)
        try store.initialize(node: NodeID(validating: "anna"))
        let peer = try Store.inMemory()
        try peer.initialize(node: NodeID(validating: "ben"))
        var generator = SeededGenerator(seed: 31)
        let text = { (generator: inout SeededGenerator) in
            (0..<Int.random(in: 0...8, using: &generator)).map { _ in Self.hostileText.randomElement(using: &generator)! }.joined()
        }
        // Region is not searched; phone numbers are checked where they are decoded, so none here.
        let fields: [FieldName] = [.standard(.firstName), .standard(.lastName), .standard(.company), .standard(.city),
                                   .standard(.country), .standard(.jobTitle), .standard(.region), .custom("x_messe")]
        // A value as the store keeps it (trimmed, single-spaced): received ones must be so.
        let value = { (field: FieldName, generator: inout SeededGenerator) throws -> String in
            try LeadValidator.normalize(text(&generator), for: field)
        }
        let exchange = {
            _ = try store.apply(try peer.operations(missingFrom: try store.clock()))
            _ = try peer.apply(try store.operations(missingFrom: try peer.clock()))
        }
        var leads: [RecordID] = []
        for _ in 0..<20 {
            leads.append(try store.add(fields: ["last_name": "N" + text(&generator), "x_messe": text(&generator)]))
            leads.append(try peer.add(fields: ["last_name": "P" + text(&generator), "city": text(&generator)]))
        }
        try exchange()
        var erased: Set<RecordID> = []
        for step in 0..<400 {
            let lead = leads.randomElement(using: &generator)!
            guard !erased.contains(lead) else { continue }
            let field = fields.randomElement(using: &generator)!
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<4:
                try store.editing { editor in
                    try editor.commit(.set([field: value(field, &generator)]), to: lead)
                    if step % 3 == 0 { try editor.commit(.note("Notiz " + value(.standard(.city), &generator)), to: lead) }
                    let other = fields.randomElement(using: &generator)!
                    try editor.commit(.set([other: value(other, &generator)]), to: lead)
                }
            case 4..<7:
                _ = try peer.commit(.set([field: value(field, &generator)]), to: lead)
            case 7, 8:
                // The same field written on both sides before they meet: a conflict.
                _ = try peer.commit(.set([field: "P" + value(field, &generator)]), to: lead)
                _ = try store.commit(.set([field: "A" + value(field, &generator)]), to: lead)
                try exchange()
            default:
                if step % 40 == 9 {
                    _ = try peer.erase(lead)
                    erased.insert(lead)
                } else {
                    _ = try peer.addNote("Besuch " + value(.standard(.city), &generator), to: lead)
                }
            }
            if step % 7 == 0 { try exchange() }
        }
        try exchange()

        let (rows, differing, _) = try Self.foldCensus(path)
        #expect(rows == leads.count)
        #expect(!erased.isEmpty)
        #expect(differing == 0)
    }

    /// A hub's store is never searched: opened `searchable: false` it loses the triggers, and the
    /// folded copies they had filled, so an erasure there leaves no personal data behind.
    @Test func anUnsearchedStoreKeepsNoFoldedCopies() throws {
        let directory = try TemporaryDirectory("fold-hub")
        let path = directory.appending("hub.sqlite").path
        let store = try Store.open(path: path)
        try store.initialize(node: NodeID(validating: "anna"))
        let id = try store.add(fields: ["first_name": "Jürgen", "last_name": "Müller"], note: "Treffen mit Herrn Weiß")
        let inspect = {
            try DatabaseQueue(path: path).read { db in
                (try String.fetchAll(db, sql: "SELECT search_text FROM lead"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") ?? -1)
            }
        }
        #expect(try inspect().0.first?.contains("jurgen") == true)
        #expect(try inspect().1 == Store.searchTriggers.count)

        let unsearched = try Store.open(path: path, searchable: false)
        #expect(try inspect().0 == [""])
        #expect(try inspect().1 == 0)
        _ = try unsearched.edit(id, [FieldAssignment(field: "city", value: "Köln")])
        _ = try unsearched.add(fields: ["last_name": "Weiß"], note: nil)
        #expect(try inspect().0 == ["", ""])
        // Opening it again as a replica would does not bring them back half-way.
        _ = try Store.open(path: path)
        #expect(try inspect().1 == 0)
        #expect(try unsearched.lead(id)?.fields["city"] == "Köln")
    }
}
