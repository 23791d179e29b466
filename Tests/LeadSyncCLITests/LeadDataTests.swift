import Foundation
import LeadSyncTestSupport
import Testing

// Decodable mirrors of the `show --json` additions (Docs/cli-json.md).

struct TimelineOut: Decodable, Equatable {
    let at: String
    let time: String
    let by: String
    let node: String
    let type: String
    let text: String
    let record: String
    let mergedFrom: String?

    enum CodingKeys: String, CodingKey {
        case at, time, by, node, type, text, record
        case mergedFrom = "merged_from"
    }
}

struct StageOut: Decodable, Equatable {
    let stage: String
    let at: String
    let by: String
}

struct ConsentOut: Decodable, Equatable {
    let status: String
    let consented: Bool
    let how: String
    let doubleOptIn: Bool
    let at: String
    let by: String

    enum CodingKeys: String, CodingKey {
        case status, consented, how, at, by
        case doubleOptIn = "double_opt_in"
    }
}

struct MergedOut: Decodable, Equatable {
    let id: String
    let name: String
    let mergedAt: String
    let mergedBy: String
    let updatedAt: String
    let editedAfterMerge: Bool
    let deleted: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, deleted
        case mergedAt = "merged_at", mergedBy = "merged_by", updatedAt = "updated_at"
        case editedAfterMerge = "edited_after_merge"
    }
}

/// `show --json` with everything the lead-data commands add.
struct FullDetailOut: Decodable {
    let id: String
    let fields: [String: String]
    let stage: String
    let tags: [String]
    let deleted: Bool
    let erased: Bool
    let mergedInto: String?
    let createdBy: String
    let timeline: [TimelineOut]
    let notes: [TimelineOut]
    let stageHistory: [StageOut]
    let consent: [String: ConsentOut?]
    let mergedDuplicates: [MergedOut]

    enum CodingKeys: String, CodingKey {
        case id, fields, stage, tags, deleted, erased, timeline, notes, consent
        case mergedInto = "merged_into", createdBy = "created_by", stageHistory = "stage_history"
        case mergedDuplicates = "merged_duplicates"
    }
}

/// A lead in `list --json`, with the lead-data fields.
struct ListedOut: Decodable, Hashable {
    let id: String
    let mergedInto: String?
    let erased: Bool

    enum CodingKeys: String, CodingKey {
        case id, erased
        case mergedInto = "merged_into"
    }
}

struct PairOut: Decodable, Equatable {
    let first: String
    let second: String
    let reasons: [String]
}

struct MergeOut: Decodable {
    let id: String
    let duplicate: String
    let operations: Int
    let filledFields: [String]
    let addedTags: [String]
    let movedDuplicates: [String]

    enum CodingKeys: String, CodingKey {
        case id, duplicate, operations
        case filledFields = "filled_fields", addedTags = "added_tags", movedDuplicates = "moved_duplicates"
    }
}

extension Home {
    func detail(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FullDetailOut {
        try json(FullDetailOut.self, ["show", id], sourceLocation: sourceLocation)
    }

    func listed(_ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try json([ListedOut].self, ["list"] + arguments, sourceLocation: sourceLocation).map(\.id)
    }

    /// Every byte of the replica's database files (main file, WAL, shared memory).
    func databaseBytes() throws -> Data {
        try databaseFileBytes(in: path)
    }
}

/// The concatenated bytes of every SQLite database file (`*.sqlite`, `-wal`, `-shm`) in a directory.
func databaseFileBytes(in directory: String) throws -> Data {
    var data = Data()
    for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    where name.hasSuffix(".sqlite") || name.hasSuffix(".sqlite-wal") || name.hasSuffix(".sqlite-shm") {
        data.append(try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
    }
    return data
}

extension Data {
    func contains(_ text: String) -> Bool { range(of: Data(text.utf8)) != nil }
}

@Suite struct ActivityTests {
    @Test func logBuildsATimeOrderedTimelineAndShowHasTheStageHistory() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Tilo", "--company", "Timeline AG", "--stage", "mql", "--note", "met at booth"])
        let logged = try home.json(EditOut.self, ["log", id, "--type", "call", "--text", "Asked for pricing", "--at", "2026-03-05 14:30"])
        #expect(logged.id == id && logged.operations == 1)
        #expect(try home.ok(["log", String(id.prefix(6)), "--type", "booth_visit", "--at", "2026-03-05T09:00+01:00"])
            == "Logged booth_visit on \(id.prefix(8))\n")
        try home.ok(["log", id, "--type", "DEMO_REQUEST", "--text", "-"], input: "Wants a demo\nin May\n")
        try home.ok(["set", id, "lifecycle_stage=sql"])

        let detail = try home.detail(id)
        #expect(detail.timeline.map(\.type) == ["booth_visit", "call", "note", "demo_request"])
        #expect(detail.timeline.map(\.text) == ["", "Asked for pricing", "met at booth", "Wants a demo\nin May"])
        #expect(detail.timeline[0].time == "2026-03-05T08:00:00.000Z")
        #expect(detail.timeline[1].time == "2026-03-05T14:30:00.000Z")
        #expect(detail.timeline.allSatisfy { $0.by == detail.createdBy && $0.node == "anna" && $0.record == id && $0.mergedFrom == nil })
        #expect(detail.notes == detail.timeline)
        #expect(detail.stageHistory.map(\.stage) == ["mql", "sql"])
        #expect(detail.stageHistory.allSatisfy { $0.by == detail.createdBy })
        let times = detail.stageHistory.compactMap { parseTime($0.at) }
        #expect(times.count == 2 && times == times.sorted())

        let text = try home.ok(["show", id])
        let order = ["Timeline (4):", "2026-03-05T08:00:00.000Z  booth_visit", "2026-03-05T14:30:00.000Z  call",
                     "Asked for pricing", "met at booth", "demo_request", "Stage history (2):", "mql", "sql", "Consent:"]
        var position = text.startIndex
        for label in order {
            let found = try #require(text.range(of: label, range: position..<text.endIndex), "\(label) missing or out of order")
            position = found.upperBound
        }
    }

    @Test func everyTimeFormatIsReadAsDocumented() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Zeit"])
        let cases = [
            ("2026-03-05T14:30:00Z", "2026-03-05T14:30:00.000Z"),
            ("2026-03-05T14:30:00.250Z", "2026-03-05T14:30:00.250Z"),
            ("2026-03-06 23:30-02:00", "2026-03-07T01:30:00.000Z"),
            ("2024-02-29", "2024-02-29T00:00:00.000Z"),
            ("2026-03-08T10:15:30+0530", "2026-03-08T04:45:30.000Z"),
        ]
        for (input, _) in cases { try home.ok(["log", id, "--type", "meeting", "--text", input, "--at", input]) }
        let timeline = try home.detail(id).timeline
        for (input, expected) in cases {
            #expect(timeline.first { $0.text == input }?.time == expected, "\(input)")
        }
    }
}

@Suite struct ConsentCommandTests {
    @Test func latestDecisionWinsAndNewsletterNeedsDoubleOptIn() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Conny", "--email", "conny@example.com"])
        try home.ok(["consent", id, "--channel", "email", "--granted", "--how", "booth form, signed", "--at", "2026-03-05 10:00"])
        // Recorded later, but it happened earlier: the grant still decides.
        try home.ok(["consent", id, "--channel", "email", "--withdrawn", "--how", "old opt-out", "--at", "2026-03-01 10:00"])
        try home.ok(["consent", id, "--channel", "phone", "--granted", "--how", "asked at booth"])
        try home.ok(["consent", id, "--channel", "phone", "--withdrawn", "--how", "asked on the phone"])
        let pending = try home.ok(["consent", id, "--channel", "newsletter", "--granted", "--how", "booth tablet"])
        #expect(pending.contains("pending double opt-in"))

        var detail = try home.detail(id)
        #expect(detail.consent["email"]??.status == "granted")
        #expect(detail.consent["email"]??.how == "booth form, signed")
        #expect(detail.consent["email"]??.at == "2026-03-05T10:00:00.000Z")
        #expect(detail.consent["email"]??.by == detail.createdBy)
        #expect(detail.consent["phone"]??.status == "denied")
        #expect(detail.consent["newsletter"]??.status == "pending_double_opt_in")
        #expect(detail.consent["newsletter"]??.consented == false)
        #expect(try home.listed(["--consented", "newsletter"]).isEmpty)

        try home.ok(["consent", id, "--channel", "newsletter", "--granted", "--double-opt-in", "--how", "confirmation link"])
        detail = try home.detail(id)
        #expect(detail.consent["newsletter"]??.status == "granted")
        #expect(detail.consent["newsletter"]??.doubleOptIn == true)
        #expect(try home.listed(["--consented", "newsletter"]) == [id])
        #expect(try home.ok(["show", id]).contains("newsletter  granted"))
    }

    /// `list --consented` and `show` derive consent by one definition: they agree on every lead,
    /// channel and case, merged duplicates' events included.
    @Test func listConsentedAgreesWithShow() throws {
        let home = try Home()
        let a = try home.add(["--first-name", "A"])
        let b = try home.add(["--first-name", "B"])
        let c = try home.add(["--first-name", "C"])
        let d = try home.add(["--first-name", "D"])
        let e = try home.add(["--first-name", "E"])
        let dup = try home.add(["--first-name", "E-dup"])
        let grant = ["--granted", "--how", "form"]
        let withdraw = ["--withdrawn", "--how", "opt-out"]
        try home.ok(["consent", a, "--channel", "email"] + grant + ["--at", "2026-01-01 10:00"])
        try home.ok(["consent", a, "--channel", "email"] + withdraw + ["--at", "2026-01-02 10:00"])
        try home.ok(["consent", b, "--channel", "email"] + grant + ["--at", "2026-01-02 10:00"])
        try home.ok(["consent", b, "--channel", "email"] + withdraw + ["--at", "2026-01-01 10:00"])
        // The same time and recorder: the refusal wins.
        try home.ok(["consent", c, "--channel", "phone"] + grant + ["--at", "2026-01-01 10:00"])
        try home.ok(["consent", c, "--channel", "phone"] + withdraw + ["--at", "2026-01-01 10:00"])
        try home.ok(["consent", d, "--channel", "newsletter"] + grant)
        try home.ok(["consent", d, "--channel", "phone"] + grant)
        try home.ok(["consent", e, "--channel", "newsletter", "--double-opt-in"] + grant)
        try home.ok(["consent", e, "--channel", "email"] + grant + ["--at", "2026-01-01 10:00"])
        // A withdrawal recorded on a duplicate counts for the lead it is merged into.
        try home.ok(["consent", dup, "--channel", "email"] + withdraw + ["--at", "2026-01-03 10:00"])
        try home.ok(["merge", e, dup])

        let expected: [String: Set<String>] = ["email": [b], "phone": [d], "newsletter": [e]]
        for channel in ["email", "phone", "newsletter"] {
            let listed = Set(try home.listed(["--consented", channel]))
            var shown = Set<String>()
            for id in [a, b, c, d, e] {
                if try home.detail(id).consent[channel]??.consented == true { shown.insert(id) }
            }
            #expect(listed == shown, "\(channel)")
            #expect(listed == expected[channel], "\(channel)")
        }
        #expect(try home.detail(e).consent["email"]??.status == "denied")
        #expect(try home.listed(["--consented", "email", "--limit", "0"]).isEmpty)
    }
}

@Suite struct MergeCommandTests {
    @Test func duplicatesAreFoundAndMergedInOneStep() throws {
        let home = try Home()
        let keep = try home.add([
            "--first-name", "Jana", "--last-name", "Kowalski", "--email", "Jana.Kowalski@example.com",
            "--company", "Acme GmbH", "--title", "CEO", "--tag", "vip",
        ])
        let dup = try home.addKnownEmail([
            "--first-name", "Jana", "--last-name", "Kowalski", "--email", "jana.kowalski@EXAMPLE.com",
            "--phone", "+49 30 1234567", "--title", "CTO", "--city", "Berlin", "--tag", "fair", "--tag", "vip",
        ])
        let other = try home.add(["--first-name", "Otto", "--phone", "030 1234567"])
        try home.ok(["log", dup, "--type", "booth_visit", "--text", "visited ben's booth"])

        let pairs = try home.json([PairOut].self, ["duplicates"])
        let expectedPairs = [
            PairOut(first: min(keep, dup), second: max(keep, dup), reasons: ["same_email"]),
            PairOut(first: min(other, dup), second: max(other, dup), reasons: ["same_phone"]),
        ].sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        #expect(pairs == expectedPairs)
        let table = try home.ok(["duplicates"])
        #expect(table.contains("same email") && table.contains("same phone") && table.contains("2 likely duplicate pairs"))

        let merged = try home.json(MergeOut.self, ["merge", String(keep.prefix(6)), String(dup.prefix(6))])
        #expect(merged.id == keep && merged.duplicate == dup)
        #expect(merged.operations == 3)
        #expect(merged.filledFields == ["city", "phone"])
        #expect(merged.addedTags == ["fair"])

        #expect(try home.listed() == [keep, other])
        #expect(Set(try home.json([ListedOut].self, ["list", "--merged"])) == [
            ListedOut(id: keep, mergedInto: nil, erased: false), ListedOut(id: dup, mergedInto: keep, erased: false),
            ListedOut(id: other, mergedInto: nil, erased: false),
        ])
        #expect(try home.ok(["list", "--merged"]).contains("MERGED INTO"))
        // The merged duplicate is no longer a live lead; the phone it gave KEEP now matches Otto's.
        #expect(try home.json([PairOut].self, ["duplicates"]) == [
            PairOut(first: min(keep, other), second: max(keep, other), reasons: ["same_phone"]),
        ])

        var detail = try home.detail(keep)
        #expect(detail.fields["job_title"] == "CEO")
        #expect(detail.fields["phone"] == "+49301234567" && detail.fields["city"] == "Berlin")
        #expect(detail.tags == ["fair", "vip"])
        #expect(detail.timeline.map(\.text) == ["visited ben's booth"])
        #expect(detail.timeline.first?.mergedFrom == dup)
        #expect(detail.mergedDuplicates.map(\.id) == [dup])
        #expect(detail.mergedDuplicates.first?.editedAfterMerge == false)
        #expect(try home.detail(dup).mergedInto == keep)
        #expect(try home.ok(["show", dup]).contains("Merged into \(keep.prefix(8)) (Jana Kowalski)"))
        var text = try home.ok(["show", keep])
        #expect(text.contains("Duplicates merged here (1): \(dup.prefix(8))"))
        #expect(text.contains("(from duplicate \(dup.prefix(8)))"))
        #expect(!text.contains("edited after the merge"))

        // A later edit of the duplicate stays on it, flagged for review.
        try home.ok(["set", dup, "job_title=Head of IT"])
        detail = try home.detail(keep)
        #expect(detail.mergedDuplicates.first?.editedAfterMerge == true)
        #expect(detail.fields["job_title"] == "CEO")
        text = try home.ok(["show", keep])
        #expect(text.contains("edited after the merge") && text.contains("leadsync show \(dup.prefix(8))"))
    }

    @Test func mergingALeadWithDuplicatesMovesThemSoThereAreNoChains() throws {
        let home = try Home()
        let a = try home.add(["--first-name", "A", "--email", "a@example.com"])
        let b = try home.addKnownEmail(["--first-name", "B", "--email", "a@example.com"])
        let c = try home.addKnownEmail(["--first-name", "C", "--email", "a@example.com"])
        try home.ok(["log", c, "--type", "call"])
        try home.ok(["merge", b, c])
        let merged = try home.json(MergeOut.self, ["merge", a, b])
        #expect(merged.movedDuplicates == [c])
        #expect(merged.operations == 2)
        #expect(try home.detail(c).mergedInto == a)
        #expect(Set(try home.detail(a).mergedDuplicates.map(\.id)) == [b, c])
        #expect(try home.detail(a).timeline.map(\.mergedFrom) == [c])
        #expect(try home.listed() == [a])
    }

    @Test func refusals() throws {
        let home = try Home()
        let keep = try home.add(["--first-name", "Keep"])
        let dup = try home.add(["--first-name", "Dup"])
        let gone = try home.add(["--first-name", "Gone"])
        let erased = try home.add(["--first-name", "Erased"])
        try home.ok(["delete", gone])
        try home.ok(["erase", erased, "--yes"])
        try expectRefused(home, ["merge", keep, String(keep.prefix(6))], mentioning: ["itself"])
        try expectRefused(home, ["merge", gone, dup], mentioning: ["deleted", "restore"])
        try expectRefused(home, ["merge", erased, dup], mentioning: ["erased"])
        try expectRefused(home, ["merge", keep, erased], mentioning: ["erased"])
        try expectRefused(home, ["merge", keep, "ffffffff"], mentioning: ["ffffffff"])
        try home.ok(["merge", keep, dup])
        try expectRefused(home, ["merge", dup, gone], mentioning: ["merged into", "chain", "leadsync merge \(keep.prefix(8))"])
        try expectRefused(home, ["merge", keep, dup], mentioning: ["already merged"])
    }

    @Test func unmergeBringsTheDuplicateBack() throws {
        let home = try Home()
        let keep = try home.add(["--first-name", "Jana", "--last-name", "Kowalski", "--company", "Acme GmbH"])
        let dup = try home.add(["--first-name", "Jana", "--last-name", "Kowalski", "--city", "Berlin"])
        try home.ok(["merge", keep, dup])
        #expect(try home.listed() == [keep])
        #expect(try home.ok(["show", dup]).contains("'leadsync unmerge \(dup.prefix(8))' undoes the merge"))
        try expectRefused(home, ["unmerge", keep], mentioning: ["not merged"])
        try expectRefused(home, ["unmerge", "ffffffff"], mentioning: ["ffffffff"])
        let erased = try home.add(["--first-name", "Erased"])
        try home.ok(["erase", erased, "--yes"])
        try expectRefused(home, ["unmerge", erased], mentioning: ["erased"])

        let undone = try home.json(UnmergeOut.self, ["unmerge", String(dup.prefix(6))])
        #expect(undone == UnmergeOut(id: dup, wasMergedInto: keep))
        #expect(Set(try home.listed()) == [keep, dup])
        #expect(try home.detail(dup).mergedInto == nil)
        #expect(try home.detail(keep).mergedDuplicates.isEmpty)
        // What the merge copied stays on the kept lead.
        #expect(try home.detail(keep).fields["city"] == "Berlin")
        try expectRefused(home, ["unmerge", dup], mentioning: ["not merged"])
        #expect(try home.ok(["merge", keep, dup]).contains("Merged \(dup.prefix(8)) into \(keep.prefix(8))"))
    }
}

struct UnmergeOut: Decodable, Equatable {
    let id: String
    let wasMergedInto: String

    enum CodingKeys: String, CodingKey {
        case id
        case wasMergedInto = "was_merged_into"
    }
}

@Suite struct EraseCommandTests {
    @Test func eraseRemovesThePersonHereAndRefusesLaterChanges() throws {
        let home = try Home()
        let email = "quirin.erasable@zzerase.example"
        let id = try home.add([
            "--first-name", "Quirin", "--last-name", "Vonerasenstein", "--email", email, "--company", "Erase GmbH",
            "--note", "secret-note-quokka", "--tag", "erase-tag",
        ])
        let dup = try home.add(["--first-name", "Quirin", "--last-name", "Vonerasenstein", "--phone", "+49 89 9988776"])
        let bystander = try home.add(["--first-name", "Bystander", "--company", "Stays AG"])
        try home.ok(["log", id, "--type", "call", "--text", "called-about-wombats"])
        try home.ok(["consent", id, "--channel", "email", "--granted", "--how", "signed-consent-form-xyz"])
        try home.ok(["merge", id, dup])
        #expect(try home.databaseBytes().contains("Vonerasenstein"))

        try expectRefused(home, ["erase", id], mentioning: ["confirmation", "--yes"])
        let output = try home.ok(["erase", String(id.prefix(6)), "--yes"])
        #expect(output.contains("Erased \(id.prefix(8)) and the 1 duplicate merged into it: \(dup.prefix(8))"))
        #expect(output.contains("leadsync sync"))

        for lead in [id, dup] {
            let detail = try home.detail(lead)
            #expect(detail.erased && detail.fields.isEmpty && detail.tags.isEmpty && detail.timeline.isEmpty)
            #expect(detail.consent.values.allSatisfy { $0 == nil } && detail.stageHistory.isEmpty && detail.mergedInto == nil)
            #expect(try home.ok(["show", lead]).contains("was erased (GDPR)"))
        }
        #expect(try home.listed(["--merged", "--deleted"]) == [bystander])
        let bytes = try home.databaseBytes()
        for secret in [email, email.lowercased(), "Vonerasenstein", "secret-note-quokka", "called-about-wombats",
                       "signed-consent-form-xyz", "9988776", "erase-tag"] {
            #expect(!bytes.contains(secret), "'\(secret)' is still in the database files")
        }
        #expect(bytes.contains("Stays AG"))

        // Any change to an erased lead is refused with the store's message; erasing again is a no-op.
        for command in [["set", id, "city=Ulm"], ["tag", id, "x"], ["untag", id, "x"], ["note", id, "hi"],
                        ["log", id, "--type", "call"], ["consent", id, "--channel", "email", "--granted", "--how", "x"],
                        ["delete", id], ["restore", id], ["merge", bystander, id]] {
            try expectRefused(home, command, mentioning: ["erased"])
        }
        #expect(try home.ok(["erase", id, "--yes"]).contains("already erased"))
    }
}

/// util-linux `script`, which runs a command on a pseudo-terminal: how a test can answer a prompt.
private let scriptTool = "/usr/bin/script"

extension EraseCommandTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: scriptTool), "needs util-linux script for a terminal"))
    func eraseAsksOnATerminal() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Prompted", "--last-name", "Person"])
        func answer(_ reply: String) throws -> (status: Int32, stdout: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: scriptTool)
            process.arguments = ["-qec", "'\(LeadSyncBinary.url.path)' erase \(id)", "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            environment["LEADSYNC_HOME"] = home.path
            process.environment = environment
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data((reply + "\n").utf8))
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let refused = try answer("no")
        #expect(refused.status != 0)
        #expect(refused.stdout.contains("Erase lead \(id.prefix(8)) (Prompted Person)?") && refused.stdout.contains("not erased"))
        #expect(try home.detail(id).erased == false)
        let accepted = try answer("yes")
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(accepted.stdout.contains("Erased \(id.prefix(8))"))
        #expect(try home.detail(id).erased)
    }
}

@Suite struct LeadDataInputTests {
    @Test func badInputIsRefusedWithOneLine() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Ines"])
        try expectRefused(home, ["log", id, "--type", "fax"], mentioning: ["activity type", "fax", "booth_visit", "demo_request"])
        try expectRefused(home, ["log", id], mentioning: ["--type"])
        try expectRefused(home, ["log", id, "--type", "note"], mentioning: ["note", "text"])
        for time in ["yesterday", "2026-02-29 10:00", "2026-13-01 10:00", "2026-03-05 24:00", "1969-12-31 23:59",
                     "2026-03-05 10:00 CET", "05.03.2026 10:00"] {
            try expectRefused(home, ["log", id, "--type", "call", "--at", time], mentioning: ["invalid time", time, "ISO-8601"])
        }
        try expectRefused(home, ["consent", id, "--channel", "fax", "--granted", "--how", "x"], mentioning: ["channel", "fax", "newsletter"])
        try expectRefused(home, ["consent", id, "--channel", "email", "--granted"], mentioning: ["--how"])
        try expectRefused(home, ["consent", id, "--channel", "email", "--granted", "--how", "   "], mentioning: ["how"])
        try expectRefused(home, ["consent", id, "--channel", "email", "--how", "x"], mentioning: ["--granted", "--withdrawn"])
        try expectRefused(home, ["consent", id, "--channel", "email", "--granted", "--withdrawn", "--how", "x"], mentioning: ["not both"])
        try expectRefused(home, ["consent", id, "--granted", "--how", "x"], mentioning: ["--channel"])
        try expectRefused(home, ["consent", id, "--channel", "email", "--granted", "--how", "x", "--at", "soon"], mentioning: ["soon"])
        try expectRefused(home, ["list", "--consented", "fax"], mentioning: ["channel", "fax"])
        try expectRefused(home, ["erase", id], mentioning: ["--yes", "not a terminal"])
        try expectRefused(home, ["erase", "ffffffff", "--yes"], mentioning: ["ffffffff"])
    }
}
