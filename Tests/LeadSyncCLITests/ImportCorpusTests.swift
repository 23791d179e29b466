import Foundation
import LeadSyncTestSupport
import Testing

/// The acceptance test of issue 16: a seeded multi-country corpus in every export format
/// (Scripts/generate-import-corpus.py, using Faker, phonenumbers and email-validator, which
/// Scripts/test.sh installs) imported with the built binary's defaults.
@Suite struct ImportCorpusTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// One import's leads by corpus id, and the text of its warnings file.
    struct Imported {
        let summary: ImportOut
        let leads: [String: [String: Any]]
        let warnings: String
    }

    /// Agreement counters over all files.
    struct Tally {
        var rows = 0, imported = 0, values = 0, kept = 0, phones = 0, phonesAgreeing = 0, emails = 0, emailsAgreeing = 0
        var misses: [String] = []

        mutating func miss(_ text: String) { if misses.count < 15 { misses.append(text) } }
    }

    static func generate(into directory: TemporaryDirectory) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repository.appending(path: "Scripts/generate-import-corpus.py").path, directory.path, "--seed", "16",
            "--per-locale", "40",
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(
            process.terminationStatus == 0,
            "the corpus generator failed (Scripts/test.sh installs faker, phonenumbers, email-validator): \(message)")
        let data = try Data(contentsOf: directory.appending("expected.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func importAndRead(_ home: Home, _ file: URL) throws -> Imported {
        let summary = try home.json(ImportOut.self, ["import", file.path])
        let warnings = try summary.warningsFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        return Imported(summary: summary, leads: try leads(home), warnings: warnings)
    }

    /// `export --format jsonl`, keyed by `x_corpus_id`; each lead with its note texts under "notes".
    static func leads(_ home: Home) throws -> [String: [String: Any]] {
        var leads: [String: [String: Any]] = [:]
        for line in try home.ok(["export", "--format", "jsonl"]).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let fields = try #require(object["fields"] as? [String: String])
            if let id = fields["x_corpus_id"] { leads[id] = object }
        }
        return leads
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `original` survived: as a field value, inside a note, in the warnings file, or
    /// in its normalised form (`expected`).
    static func isKept(_ original: String, expected: String?, lead: [String: Any], warnings: String) -> Bool {
        let fields = lead["fields"] as? [String: String] ?? [:]
        let notes = (lead["notes"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }.map(collapsed)
        let value = collapsed(original)
        if let expected, fields.values.contains(expected) { return true }
        return fields.values.contains { collapsed($0) == value } || notes.contains { $0.contains(value) }
            || warnings.contains(original.trimmingCharacters(in: .whitespaces))
    }

    static func check(
        _ imported: Imported, ids: [String], contacts: [String: [String: Any]], keys: [String], tally: inout Tally, file: String
    ) {
        for id in ids {
            guard let contact = contacts[id], let expected = contact["expected"] as? [String: Any] else { continue }
            tally.rows += 1
            guard let lead = imported.leads[id] else {
                if expected["refused"] as? Bool != true { tally.miss("\(file) \(id): not imported") }
                continue
            }
            tally.imported += 1
            let fields = lead["fields"] as? [String: String] ?? [:]
            for key in keys {
                guard let original = contact[key] as? String, !original.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                tally.values += 1
                let normalised = expected[key] as? String
                let kept = key == "source" ? fields["source"] != nil
                    : isKept(original, expected: normalised, lead: lead, warnings: imported.warnings)
                if kept { tally.kept += 1 } else { tally.miss("\(file) \(id): \(key) '\(original)' lost") }
            }
            for (key, field) in [("phone", "phone"), ("mobile", "x_phone_cell")] {
                guard let original = contact[key] as? String, !original.isEmpty else { continue }
                tally.phones += 1
                let want = expected[key] as? String
                if fields[field] == want { tally.phonesAgreeing += 1 } else {
                    tally.miss("\(file) \(id): \(key) '\(original)' gave \(fields[field] ?? "nothing"), libphonenumber \(want ?? "invalid")")
                }
            }
            if let original = contact["email"] as? String, !original.isEmpty {
                tally.emails += 1
                let want = expected["email"] as? String
                if fields["email"] == want { tally.emailsAgreeing += 1 } else {
                    tally.miss("\(file) \(id): email '\(original)' gave \(fields["email"] ?? "nothing"), email-validator \(want ?? "invalid")")
                }
            }
        }
    }

    /// Fields, stage, tags and note texts per corpus id: what a round trip must keep.
    static func essence(_ leads: [String: [String: Any]]) -> [String: String] {
        leads.mapValues { lead in
            let fields = (lead["fields"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let notes = (lead["notes"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            let tags = lead["tags"] as? [String] ?? []
            return (fields + ["stage=\(lead["stage"] ?? "")", "tags=\(tags)", "notes=\(notes)"]).joined(separator: "\n")
        }
    }

    static func roundTrip(_ home: Home, format: String, name: String) throws {
        let exported = home.directory.appending(name)
        try home.ok(["export", "--format", format, "--output", exported.path])
        let copy = try Home(node: "anna")
        let summary = try copy.json(ImportOut.self, ["import", exported.path])
        #expect(summary.setAside == 0 && summary.invalid == 0, "\(format) re-import set aside \(summary.setAsideValues)")
        let before = essence(try leads(home))
        let after = essence(try leads(copy))
        #expect(before.count == after.count)
        let differing = before.keys.sorted().filter { before[$0] != after[$0] }
        #expect(differing.isEmpty, "\(format) round trip changed \(differing.count) leads, e.g. \(differing.first.map { "\(before[$0] ?? "") -> \(after[$0] ?? "")" } ?? "")")
    }

    @Test func realisticExportsImportWhole() throws {
        let corpus = try TemporaryDirectory("leadsync-corpus")
        let expected = try Self.generate(into: corpus)
        let files = try #require(expected["files"] as? [String: [String]])
        let contacts = try #require(expected["contacts"] as? [String: [String: Any]])
        let common = ["first_name", "last_name", "company", "job_title", "city", "postal_code", "country", "email", "phone", "mobile"]
        var tally = Tally()
        for (file, ids) in files.sorted(by: { $0.key < $1.key }) {
            let home = try Home(node: "anna")
            let imported = try Self.importAndRead(home, corpus.appending(file))
            #expect(imported.summary.outcome == "committed", "\(file)")
            let keys = common + (file.hasSuffix(".vcf") ? ["note"] : file.hasPrefix("excel") ? ["note"] : ["owner", "source", "note"])
            Self.check(imported, ids: ids, contacts: contacts, keys: keys, tally: &tally, file: file)
            if file == "hubspot.csv" {
                try Self.roundTrip(home, format: "csv", name: "roundtrip.csv")
                try Self.roundTrip(home, format: "vcard", name: "roundtrip.vcf")
            }
        }
        let share = { (part: Int, whole: Int) in whole == 0 ? 0 : Double(part) / Double(whole) }
        #expect(share(tally.imported, tally.rows) >= 0.995, "rows imported: \(tally.imported) of \(tally.rows); \(tally.misses)")
        #expect(tally.kept == tally.values, "values kept: \(tally.kept) of \(tally.values); \(tally.misses)")
        #expect(share(tally.phonesAgreeing, tally.phones) >= 0.99, "phones: \(tally.phonesAgreeing) of \(tally.phones); \(tally.misses)")
        #expect(share(tally.emailsAgreeing, tally.emails) >= 0.99, "emails: \(tally.emailsAgreeing) of \(tally.emails); \(tally.misses)")
    }
}
