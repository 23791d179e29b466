import Foundation
import LeadSyncTestSupport
import Testing

/// Three leads at two fairs, plus one deleted, captured in this order.
private struct Fixture {
    let home: Home
    let anna: String  // Schmidt, Acme, lead, prospect, badge_scan, EuroShop, owner anna, tags fair+vip
    let bernd: String  // Albers, Zeta, mql, customer, business_card, Hannover Messe, owner bob, tag fair
    let carla: String  // Meyer, Beta, sql, partner, form, euroshop (other case), owner anna
    let dora: String  // deleted

    init() throws {
        home = try Home()
        anna = try home.add([
            "--first-name", "Anna", "--last-name", "Schmidt", "--company", "Acme", "--email", "anna@acme.example",
            "--kind", "prospect", "--source", "badge_scan", "--event", "EuroShop", "--owner", "anna",
            "--tag", "fair", "--tag", "vip",
        ])
        bernd = try home.add([
            "--first-name", "Bernd", "--last-name", "Albers", "--company", "Zeta", "--email", "bernd@zeta.example",
            "--stage", "mql", "--kind", "customer", "--source", "business_card", "--event", "Hannover Messe",
            "--owner", "bob", "--tag", "fair",
        ])
        carla = try home.add([
            "--first-name", "Carla", "--last-name", "Meyer", "--company", "Beta", "--stage", "sql",
            "--kind", "partner", "--source", "form", "--event", "euroshop", "--owner", "anna", "--city", "Leipzig",
        ])
        dora = try home.add(["--first-name", "Dora", "--last-name", "Deleted", "--company", "Acme"])
        try home.ok(["delete", dora])
    }

    func ids(_ arguments: String...) throws -> [String] {
        try home.json([LeadOut].self, ["list"] + arguments).map(\.id)
    }
}

@Suite struct ListTests {
    @Test func eachFilterSelectsItsLeads() throws {
        let f = try Fixture()
        #expect(try f.ids() == [f.anna, f.bernd, f.carla])
        #expect(try f.ids("--stage", "mql") == [f.bernd])
        #expect(try f.ids("--stage", "lead") == [f.anna])
        #expect(try f.ids("--kind", "customer") == [f.bernd])
        #expect(try f.ids("--source", "form") == [f.carla])
        #expect(try f.ids("--event", "EUROSHOP") == [f.anna, f.carla])
        #expect(try f.ids("--owner", "anna") == [f.anna, f.carla])
        #expect(try f.ids("--tag", "fair") == [f.anna, f.bernd])
        #expect(try f.ids("--tag", "vip") == [f.anna])
        #expect(try f.ids("--search", "ACME") == [f.anna])
        #expect(try f.ids("--search", "leip") == [f.carla])
        #expect(try f.ids("--search", "acme", "--deleted") == [f.anna, f.dora])
        #expect(try f.ids("--owner", "anna", "--stage", "sql") == [f.carla])
        #expect(try f.ids("--deleted") == [f.anna, f.bernd, f.carla, f.dora])
        #expect(try f.ids("--only-deleted") == [f.dora])
        #expect(try f.ids("--stage", "customer").isEmpty)
    }

    @Test func eachSortOrdersItsLeads() throws {
        let f = try Fixture()
        #expect(try f.ids("--sort", "created") == [f.anna, f.bernd, f.carla])
        #expect(try f.ids("--sort", "created", "--desc") == [f.carla, f.bernd, f.anna])
        #expect(try f.ids("--sort", "name") == [f.bernd, f.carla, f.anna])
        #expect(try f.ids("--sort", "name", "--desc") == [f.anna, f.carla, f.bernd])
        #expect(try f.ids("--sort", "company") == [f.anna, f.carla, f.bernd])
        #expect(try f.ids("--sort", "stage") == [f.anna, f.bernd, f.carla])
        #expect(try f.ids("--sort", "stage", "--desc") == [f.carla, f.bernd, f.anna])
        try f.home.ok(["set", f.anna, "city=Bonn"])
        #expect(try f.ids("--sort", "updated") == [f.bernd, f.carla, f.anna])
        #expect(try f.ids("--sort", "updated", "--desc", "--limit", "2") == [f.anna, f.carla])
        #expect(try f.ids("--limit", "0").isEmpty)
    }

    @Test func jsonCarriesTheDocumentedFields() throws {
        let f = try Fixture()
        let data = Data(try f.home.ok(["list", "--json", "--tag", "vip"]).utf8)
        let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let lead = try #require(array.first)
        #expect(array.count == 1)
        #expect(Set(lead.keys) == [
            "id", "fields", "stage", "tags", "deleted", "merged_into", "erased", "created_at", "created_by", "updated_at",
            "score", "temperature",
        ])
        #expect(lead["score"] as? Int == 20)  // built-in rules: company 10, source badge_scan 10
        #expect(lead["temperature"] as? String == "cold")
        #expect(lead["merged_into"] is NSNull)
        #expect(lead["erased"] as? Bool == false)
        #expect(lead["id"] as? String == f.anna)
        #expect((lead["fields"] as? [String: String])?["company"] == "Acme")
        #expect(lead["tags"] as? [String] == ["fair", "vip"])
        #expect(lead["deleted"] as? Bool == false)
        let empty = try JSONSerialization.jsonObject(with: Data(try f.home.ok(["list", "--json", "--stage", "customer"]).utf8))
        #expect((empty as? [Any])?.isEmpty == true)
    }

    @Test func textIsAnAlignedTableWithShortIdsAndAFooter() throws {
        let f = try Fixture()
        let lines = try f.home.ok(["list", "--sort", "name"]).split(separator: "\n").map(String.init)
        try #require(lines.count == 5)
        let header = lines[0]
        for column in ["ID", "NAME", "COMPANY", "EMAIL", "STAGE", "OWNER"] { #expect(header.contains(column)) }
        #expect(!header.contains("DELETED"))
        #expect(lines[4] == "3 leads")
        let companyColumn = try #require(header.range(of: "COMPANY")).lowerBound.utf16Offset(in: header)
        let stageColumn = try #require(header.range(of: "STAGE")).lowerBound.utf16Offset(in: header)
        let expected: [(id: String, name: String, company: String, stage: String)] = [
            (f.bernd, "Bernd Albers", "Zeta", "mql"), (f.carla, "Carla Meyer", "Beta", "sql"), (f.anna, "Anna Schmidt", "Acme", "lead"),
        ]
        for (line, row) in zip(lines[1...3], expected) {
            #expect(line.hasPrefix(String(row.id.prefix(8)) + "  "))
            #expect(!line.contains(row.id), "only the short id is shown")
            #expect(line.contains(row.name))
            let utf16 = Array(line.utf16)
            #expect(String(decoding: utf16[companyColumn...].prefix(row.company.utf16.count), as: UTF16.self) == row.company)
            #expect(String(decoding: utf16[stageColumn...].prefix(row.stage.utf16.count), as: UTF16.self) == row.stage)
            #expect(!line.hasSuffix(" "))
        }
        let withDeleted = try f.home.ok(["list", "--only-deleted"]).split(separator: "\n")
        #expect(withDeleted.first?.contains("DELETED") == true)
        #expect(withDeleted.last == "1 lead")
        #expect(try f.home.ok(["list", "--tag", "none"]) == "0 leads\n")
    }
}
