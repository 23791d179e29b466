import Foundation
import LeadSyncCore
import LeadSyncExchange
@testable import LeadSyncImport
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// The import library without the binary: streaming vCard cutting, line numbers, progress,
/// update rules and the rejected-file formats.
@Suite struct ImportLibraryTests {
    static let twoCards = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:One;Ann\r\nEMAIL:ann@one.example\r\nEND:VCARD\r\n\r\n"
        + "begin:vcard\rVERSION:3.0\rN:Two;Ben\rNOTE:folded\r  note\rEND:VCARD\r"

    @Test("vCards are cut out correctly whatever the chunk size and line endings", arguments: [1, 2, 3, 7, 64, 100_000])
    func vcardSourceCutsCardsAcrossChunks(chunk: Int) throws {
        var source = VCardImportSource(source: DataByteSource(Data(Self.twoCards.utf8), chunkLimit: chunk))
        let first = try #require(try source.next())
        #expect(first.line == 1)
        #expect(try first.draft.get().fields == ["last_name": "One", "first_name": "Ann", "email": "ann@one.example"])
        let second = try #require(try source.next())
        #expect(second.line == 7)
        let draft = try second.draft.get()
        #expect(draft.fields["last_name"] == "Two")
        #expect(draft.notes == ["folded note"])
        guard case .vcard(let bytes) = second.original else { Issue.record("not a vCard row"); return }
        #expect(String(decoding: bytes, as: UTF8.self) == "begin:vcard\rVERSION:3.0\rN:Two;Ben\rNOTE:folded\r  note\rEND:VCARD\r")
        #expect(try source.next() == nil)
        #expect(!source.isLeadSyncExport)
    }

    @Test func vcardParseErrorsNameTheFilesLineAndTruncatedCardsAreRows() throws {
        let text = "\n\nBEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:=G1\nEND:VCARD\nBEGIN:VCARD\nN:Cut;Off\n"
        var source = VCardImportSource(source: DataByteSource(Data(text.utf8), chunkLimit: 5))
        let broken = try #require(try source.next())
        #expect(broken.line == 3)
        #expect(throws: ImportRowError("property N has broken QUOTED-PRINTABLE data (\"=\" must be followed by two hex digits)", line: 5)) {
            try broken.draft.get()
        }
        let truncated = try #require(try source.next())
        #expect(truncated.line == 7)
        #expect(throws: ImportRowError.self) { try truncated.draft.get() }
        #expect(try source.next() == nil)

        var outside = VCardImportSource(source: DataByteSource(Data("BEGIN:VCARD\nN:A\nEND:VCARD\nstray text\n".utf8)))
        _ = try outside.next()
        #expect(throws: ExchangeError.vcardTextOutsideCard(line: 4, excerpt: "stray text")) { try outside.next() }
    }

    @Test func formatDetectionUsesExtensionThenContent() {
        #expect(ImportFormat.detect(path: "a.CSV", head: Array("BEGIN:VCARD".utf8)) == .csv)
        #expect(ImportFormat.detect(path: "a.vcf", head: []) == .vcard)
        #expect(ImportFormat.detect(path: "scan.txt", head: [0xEF, 0xBB, 0xBF] + Array("\r\n begin:VCARD\r\n".utf8)) == .vcard)
        #expect(ImportFormat.detect(path: "export", head: Array("email,name\n".utf8)) == .csv)
    }

    @Test func updateChangesOnlyTouchWhatDiffers() throws {
        let store = try Store.inMemory()
        _ = try store.initialize(node: NodeID(validating: "anna"))
        let id = try store.add(
            fields: ["email": "Anna@Acme.example", "city": "Hamburg", "source": "badge_scan"], stage: .mql, tags: ["fair"], note: "first")
        let lead = try #require(try store.lead(id))
        let draft = LeadDraft(
            fields: ["email": "anna@acme.example", "city": "Hamburg", "company": "Acme", "lifecycle_stage": "sql"],
            tags: ["fair", "hot"], notes: ["first", "second"])
        let prepared = try PreparedLead(draft, defaults: ["source": "import", "event": "Fair"])
        let changes = prepared.updateChanges(for: lead, existingNotes: ["first"])
        #expect(changes == [
            .set([.standard(.company): "Acme", .standard(.event): "Fair"]), .stage(.sql), .tag(["hot"]), .note("second"),
        ])
        #expect(prepared.label == "anna@acme.example")

        #expect(throws: ImportRowError.self) { try PreparedLead(LeadDraft(fields: ["lifecycle_stage": "hot"]), defaults: [:]) }
        #expect(throws: ImportRowError("a lead needs at least one of first_name, last_name, email, phone, company")) {
            try PreparedLead(LeadDraft(fields: ["city": "Kiel"]), defaults: ["source": "import"])
        }
    }

    @Test func importReportsProgressAndRollsBackOnAnInvalidRow() throws {
        let directory = try TemporaryDirectory("leadsync-import")
        let store = try Store.open(path: directory.appending("replica.sqlite").path)
        _ = try store.initialize(node: NodeID(validating: "anna"))
        var csv = "email,first_name\n"
        for index in 0..<3_000 { csv += "lead\(index)@example.com,Lead \(index)\n" }
        let url = directory.appending("many.csv")
        try Data((csv + "broken,Bad\n").utf8).write(to: url)

        var progress: [ImportProgress] = []
        var strict = ImportOptions()
        strict.strict = true
        let summary = try LeadImporter(store: store, options: strict).run(file: url) { progress.append($0) }
        #expect(summary.outcome == .rolledBack)
        #expect(summary.rows == 3_001)
        #expect(summary.created == 3_000)
        #expect(summary.errors == [.init(line: 3_002, message: "invalid email 'broken': expected name@domain.tld")])
        #expect(summary.rowResults == nil, "too many rows for per-row results")
        #expect(try store.leads().isEmpty)
        let last = try #require(progress.last)
        #expect(last.rows == 3_001)
        #expect(last.fraction == 1)

        strict.skipInvalid = true
        let skipped = try LeadImporter(store: store, options: strict).run(file: url)
        #expect(skipped.outcome == .committed)
        #expect(try store.leads().count == 3_000)
        #expect(skipped.rejectedFile == url.path + ".rejected.csv")

        // By default the bad value is set aside and its row imported too.
        try? FileManager.default.removeItem(atPath: url.path + ".rejected.csv")
        let other = try Store.open(path: directory.appending("lenient.sqlite").path)
        _ = try other.initialize(node: NodeID(validating: "ben"))
        let lenient = LeadImporter(store: other, options: ImportOptions())
        let whole = try lenient.run(file: url)
        #expect(whole.outcome == .committed)
        #expect(whole.created == 3_001)
        #expect(whole.setAside == 1)
        #expect(whole.warningsFile == url.path + ".warnings.csv")
    }

    @Test func rejectedCardsCarryTheirError() {
        let card = Array("BEGIN:VCARD\r\nN:A;B\r\nEND:VCARD\r\n".utf8)
        let annotated = String(decoding: RejectedRowWriter.annotated(card: card, message: "line 1: bad; really, bad"), as: UTF8.self)
        #expect(annotated == "BEGIN:VCARD\r\nN:A;B\r\nX-LEADSYNC-IMPORT-ERROR:line 1: bad\\; really\\, bad\r\nEND:VCARD\r\n")
        let truncated = String(decoding: RejectedRowWriter.annotated(card: Array("BEGIN:VCARD\nN:A".utf8), message: "cut"), as: UTF8.self)
        #expect(truncated == "BEGIN:VCARD\nN:A\r\nX-LEADSYNC-IMPORT-ERROR:cut\r\nEND:VCARD\r\n")
    }
}
