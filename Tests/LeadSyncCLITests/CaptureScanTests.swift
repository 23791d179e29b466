import Foundation
import LeadSyncTestSupport
import Testing

/// `leadsync capture --scan`: badge and business-card codes as scanners deliver them.
@Suite struct CaptureScanTests {
    static func detail(_ home: Home, _ id: String) throws -> DetailOut {
        try home.json(DetailOut.self, ["show", id])
    }

    /// Runs a capture with `--json` (its text output is a summary line) and returns the new id.
    static func capturedID(_ home: Home, _ arguments: [String], input: String? = nil) throws -> String {
        let output = try home.ok(arguments + ["--json"], input: input)
        return try #require(try JSONDecoder().decode([String: String].self, from: Data(output.utf8))["id"])
    }

    @Test func mecardAsArgument() throws {
        let home = try Home()
        let id = try Self.capturedID(home, [
            "capture", "--scan", "MECARD:N:Schmidt,Anna;ORG:Acme GmbH;TEL:+49 40 123456;EMAIL:anna@acme.example;NOTE:Stand B12\\; Demo;;",
            "--event", "EuroShop 2026",
        ])
        let lead = try Self.detail(home, id)
        #expect(lead.lead.fields == [
            "last_name": "Schmidt", "first_name": "Anna", "company": "Acme GmbH", "phone": "+4940123456",
            "email": "anna@acme.example", "source": "badge_scan", "event": "EuroShop 2026",
        ])
        #expect(lead.notes.map(\.text) == ["Stand B12; Demo"])
    }

    @Test func vcardInAQRCodeFromStandardInput() throws {
        let payload = "BEGIN:VCARD\nVERSION:3.0\nN:Öztürk;Ayşe\nORG:Yıldız A.Ş.\nTITLE:CTO\nEMAIL;TYPE=WORK:ayse@yildiz.example\n"
            + "TEL;TYPE=CELL:+90 532 123 4567\nEND:VCARD\n"
        for arguments in [["capture", "--scan", "--json"], ["capture", "--scan", "-", "--json", "--source", "business_card"]] {
            let fresh = try Home()
            let output = try fresh.ok(arguments, input: payload)
            let id = try #require(try JSONDecoder().decode([String: String].self, from: Data(output.utf8))["id"])
            let lead = try Self.detail(fresh, id).lead
            #expect(lead.fields["last_name"] == "Öztürk")
            #expect(lead.fields["first_name"] == "Ayşe")
            #expect(lead.fields["company"] == "Yıldız A.Ş.")
            #expect(lead.fields["job_title"] == "CTO")
            #expect(lead.fields["email"] == "ayse@yildiz.example")
            #expect(lead.fields["phone"] == "+905321234567")
            #expect(lead.fields["source"] == (arguments.contains("--source") ? "business_card" : "badge_scan"))
        }
    }

    @Test func plainEmailAndMailtoPayloads() throws {
        let home = try Home()
        let plain = try Self.capturedID(home, ["capture", "--scan", "-"], input: "  bob@builder.example\n")
        #expect(try Self.detail(home, plain).lead.fields == ["email": "bob@builder.example", "source": "badge_scan"])
        let mailto = try Self.capturedID(home, ["capture", "--scan", "mailto:carla%2Bfair@c.example?subject=Hi"])
        #expect(try Self.detail(home, mailto).lead.fields == ["email": "carla+fair@c.example", "source": "badge_scan"])
    }

    @Test func aKnownEmailIsRefusedUnlessDuplicatesAreAllowed() throws {
        let home = try Home()
        let existing = try home.add(["--first-name", "Anna", "--last-name", "Schmidt", "--email", "anna@acme.example"])
        let before = try home.snapshot()
        let refused = try home.run(["capture", "--scan", "ANNA@ACME.example"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("is already lead \(existing.prefix(8)) (Anna Schmidt)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-duplicate"))
        #expect(try home.snapshot() == before)

        let allowed = try home.run(["capture", "--scan", "ANNA@ACME.example", "--allow-duplicate"])
        #expect(allowed.status == 0)
        #expect(allowed.stderr.contains("warning: same email as lead \(existing.prefix(8))"))
        #expect(try home.json([LeadOut].self, ["list"]).count == 2)
    }

    @Test func unreadableCodesAndMissingScanAreOneLineErrors() throws {
        let home = try Home()
        let ticket = try home.run(["capture", "--scan", "TICKET-4711-XYZ"])
        #expect(ticket.status == 65)
        #expect(ticket.stderr.contains("not a vCard, MECARD, mailto: link or email address"))
        #expect(ticket.stderr.split(separator: "\n").count == 1)
        let invalid = try home.run(["capture", "--scan", "MECARD:N:Doe,John;TEL:call me;;"])
        #expect(invalid.stderr.contains("the scanned lead is not valid: invalid phone 'call me'"), "\(invalid.stderr)")
        let noScan = try home.run(["capture"])
        #expect(noScan.status != 0)
        #expect(noScan.stderr.contains("give --scan"))
        #expect(try home.json([LeadOut].self, ["list"]).isEmpty)
    }
}
