import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

@Suite struct CaptureAndEditTests {
    @Test func initStoresNodeHubAndTokenUnderTheKeysSyncReads() throws {
        let directory = try TemporaryDirectory("leadsync-cli")
        let home = directory.appending("nested/home").path
        // Explicit --home, no $LEADSYNC_HOME: the nested directory is created.
        let result = try LeadSyncBinary.run(
            ["init", "--home", home, "--node", "anna-laptop", "--hub", "127.0.0.1:7420", "--token", "s3cret", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(printed["node"] as? String == "anna-laptop")
        #expect((printed["actor"] as? String)?.hasPrefix("anna-laptop~") == true)
        #expect(printed["hub"] as? String == "127.0.0.1:7420")
        #expect(printed["token"] == nil, "the token is never printed")

        let store = try Store.open(path: home + "/replica.sqlite")
        #expect(try store.identity()?.node.rawValue == "anna-laptop")
        #expect(try store.setting("hub") == "127.0.0.1:7420")
        #expect(try store.setting("token") == "s3cret")

        let status = try LeadSyncBinary.run(["status", "--home", home, "--json"])
        let report = try JSONDecoder().decode(StatusOut.self, from: Data(status.stdout.utf8))
        #expect(report.hub == "127.0.0.1:7420")
        #expect(report.node == "anna-laptop")
    }

    @Test func addStoresEveryOptionNormalisedAndShowPrintsIt() throws {
        let home = try Home()
        let id = try home.add([
            "--first-name", "  Anna ", "--last-name", "Schmidt", "--email", "Anna@ACME.Example",
            "--phone", "+49 40 123456", "--company", "Acme  GmbH", "--title", "CTO", "--street", "Hafenstr. 1",
            "--postal-code", "20457", "--city", "Hamburg", "--region", "HH", "--country", "DE",
            "--website", "acme.example", "--source", "Badge_Scan", "--event", "EuroShop 2026", "--owner", "Anna",
            "--kind", "prospect", "--stage", "MQL", "--tag", "hot", "--tag", "fair", "--field", "x_budget=50k",
            "--note", "Wants a demo",
        ])
        #expect(throws: Never.self) { try RecordID(validating: id) }

        let detail = try home.json(DetailOut.self, ["show", id])
        #expect(detail.lead.id == id)
        #expect(detail.lead.fields == [
            "first_name": "Anna", "last_name": "Schmidt", "email": "Anna@acme.example", "phone": "+4940123456",
            "company": "Acme GmbH", "job_title": "CTO", "street": "Hafenstr. 1", "postal_code": "20457",
            "city": "Hamburg", "region": "HH", "country": "DE", "website": "acme.example", "source": "badge_scan",
            "event": "EuroShop 2026", "owner": "anna", "kind": "prospect", "x_budget": "50k",
        ])
        #expect(detail.lead.stage == "mql")
        #expect(detail.lead.tags == ["fair", "hot"])
        #expect(detail.lead.deleted == false)
        #expect(detail.lead.createdBy.hasPrefix("anna~"))
        let created = try #require(parseTime(detail.lead.createdAt))
        #expect(abs(created.timeIntervalSinceNow) < 300)
        #expect(detail.lead.createdAt.hasSuffix("Z"))
        #expect(detail.notes.map(\.text) == ["Wants a demo"])
        #expect(detail.notes.first?.by == detail.lead.createdBy)
        #expect(detail.conflicts.isEmpty)

        // Text: fields in the documented order, then stage, tags, notes.
        let text = try home.ok(["show", String(id.prefix(6))])
        #expect(text.hasPrefix("Lead \(id)\n"))
        let order = ["first_name", "last_name", "email", "phone", "company", "job_title", "postal_code", "owner", "kind",
                     "x_budget", "lifecycle_stage", "tags", "deleted", "created", "Timeline (1):", "Wants a demo"]
        let positions = try order.map { label in try #require(text.range(of: label)?.lowerBound, "\(label) missing") }
        #expect(positions == positions.sorted())
        #expect(text.contains("fair, hot"))

        // One add with a note is two operations: the create and the note.
        #expect(try home.json(StatusOut.self, ["status"]).operations == 2)
        let added = try JSONSerialization.jsonObject(with: Data(try home.ok(["add", "--company", "Beta AG", "--json"]).utf8)) as? [String: Any]
        #expect((added?["id"] as? String)?.count == 36)
        #expect((added?["duplicates"] as? [Any])?.isEmpty == true)
    }

    @Test func setWritesAllAssignmentsAsOneOpAndStageAsAnother() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Bernd", "--phone", "040 1234", "--city", "Kiel"])
        let before = try home.json(StatusOut.self, ["status"]).operations

        let edit = try home.json(EditOut.self, ["set", String(id.prefix(8)), "city=Berlin", "phone=", "x_size=200", "lifecycle_stage=sql"])
        #expect(edit.id == id)
        #expect(edit.operations == 2)
        #expect(try home.json(StatusOut.self, ["status"]).operations == before + 2)
        let lead = try home.json(LeadOut.self, ["show", id])
        #expect(lead.fields == ["first_name": "Bernd", "city": "Berlin", "x_size": "200"])
        #expect(lead.stage == "sql")

        let fieldsOnly = try home.json(EditOut.self, ["set", id, "company=Gamma KG", "email=b@gamma.example"])
        #expect(fieldsOnly.operations == 1)
        let text = try home.ok(["set", id, "job_title=Head of IT"])
        #expect(text.contains("Updated \(id.prefix(8)): job_title"))
        #expect(try home.json(LeadOut.self, ["show", id]).fields["job_title"] == "Head of IT")
    }

    @Test func deleteAndRestore() throws {
        let home = try Home()
        let keep = try home.add(["--company", "Keep AG"])
        let gone = try home.add(["--company", "Gone AG"])

        #expect(try home.json(EditOut.self, ["delete", gone]).operations == 1)
        #expect(try home.json([LeadOut].self, ["list"]).map(\.id) == [keep])
        #expect(try home.json([LeadOut].self, ["list", "--deleted"]).map(\.id) == [keep, gone])
        #expect(try home.json([LeadOut].self, ["list", "--only-deleted"]).map(\.id) == [gone])
        #expect(try home.json(LeadOut.self, ["show", gone]).deleted)
        #expect(try home.ok(["show", gone]).contains("yes (restore with 'leadsync restore \(gone.prefix(8))')"))
        #expect(try home.json(StatusOut.self, ["status"]).deleted == 1)
        // Deleting again changes nothing.
        #expect(try home.json(EditOut.self, ["delete", gone]).operations == 0)
        #expect(try home.ok(["delete", gone]).contains("already deleted"))

        #expect(try home.ok(["restore", String(gone.prefix(8))]).contains("Restored \(gone.prefix(8))"))
        #expect(try home.json([LeadOut].self, ["list"]).map(\.id) == [keep, gone])
        #expect(try home.json(EditOut.self, ["restore", gone]).operations == 0)
        #expect(try home.json(StatusOut.self, ["status"]).deleted == 0)
    }

    @Test func tagAndUntag() throws {
        let home = try Home()
        let id = try home.add(["--last-name", "Tagged", "--tag", "hot"])
        #expect(try home.json(EditOut.self, ["tag", id, "vip", "fair-2026", "vip"]).operations == 1)
        #expect(try home.json(LeadOut.self, ["show", id]).tags == ["fair-2026", "hot", "vip"])
        #expect(try home.ok(["untag", id, "hot", "never-had"]).contains("Untagged"))
        #expect(try home.json(LeadOut.self, ["show", id]).tags == ["fair-2026", "vip"])
        #expect(try home.json([LeadOut].self, ["list", "--tag", "vip"]).map(\.id) == [id])
        #expect(try home.json([LeadOut].self, ["list", "--tag", "hot"]).isEmpty)
    }

    @Test func notesFromArgumentsAndStdinInClockOrder() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Nora", "--note", "first"])
        try home.ok(["note", id, "second"])
        try home.ok(["note", String(id.prefix(5)), "-"], input: "third\nline two\n")
        let detail = try home.json(DetailOut.self, ["show", id])
        #expect(detail.notes.map(\.text) == ["first", "second", "third\nline two"])
        #expect(detail.notes.allSatisfy { $0.type == "note" && $0.by == detail.lead.createdBy })
        let times = detail.notes.compactMap { parseTime($0.at) }
        #expect(times.count == 3)
        #expect(times == times.sorted())
    }

    @Test func statusReportsNodeClockAndCounts() throws {
        let home = try Home(node: "booth-7")
        let a = try home.add(["--first-name", "A", "--note", "hi"])
        _ = try home.add(["--first-name", "B"])
        try home.ok(["delete", a])
        let status = try home.json(StatusOut.self, ["status"])
        #expect(status.node == "booth-7")
        #expect(status.actor.hasPrefix("booth-7~"))
        #expect(status.clock == [status.actor: 4])
        #expect(status.leads == 1)
        #expect(status.deleted == 1)
        #expect(status.operations == 4)
        #expect(status.openConflicts == 0)
        #expect(status.hub == nil)
        #expect(status.home == home.path)
        let text = try home.ok(["status"])
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("node ") && $0.hasSuffix(" booth-7") })
        #expect(text.contains("\(status.actor)=4"))
        #expect(text.contains("1 (1 deleted)"))
    }

    @Test func everyCommandsHelpTeachesWithAnExample() throws {
        let commands = [
            "init", "add", "set", "show", "list", "delete", "restore", "tag", "untag", "note", "log", "consent", "duplicates",
            "merge", "erase", "conflicts", "status", "capture", "import", "export",
        ]
        for command in commands {
            let result = try LeadSyncBinary.run([command, "--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("OVERVIEW:"), "\(command)")
            #expect(result.stdout.contains("Example:"), "\(command)")
            #expect(result.stdout.contains("leadsync \(command) "), "\(command)")
            #expect(result.stdout.contains("--home"), "\(command)")
        }
        let root = try LeadSyncBinary.run(["--help"])
        for command in commands { #expect(root.stdout.contains(command)) }
    }
}
