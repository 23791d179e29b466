import Foundation
import GRDB
import LeadSyncCore
@testable import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Reading many leads: `list` in capture order stops at its limit through an index, and the
/// decoder that reads a query's columns by position gives the same leads as reading one by id.
@Suite struct LeadListingTests {
    @Test(arguments: [false, true])
    func listInCaptureOrderReadsTheIndexNotEveryLead(descending: Bool) throws {
        let directory = try TemporaryDirectory("listing")
        let path = directory.appending("replica.sqlite").path
        _ = try Store.open(path: path)
        var filter = LeadFilter()
        filter.descending = descending
        filter.limit = 50
        let query = Store.selection(filter)
        let plan = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(query.sql)", arguments: query.arguments).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("lead_created") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test func leadsReadTogetherEqualLeadsReadByID() throws {
        let directory = try TemporaryDirectory("listing")
        let store = try Store.open(path: directory.appending("replica.sqlite").path)
        try store.initialize(node: NodeID(validating: "anna"))
        var ids: [RecordID] = []
        ids.append(try store.add(fields: ["first_name": "Jürgen", "last_name": "Müller", "x_booth": "B12"], tags: ["vip", "fair"]))
        ids.append(try store.add(fields: ["last_name": "Weiß", "company": "Acme GmbH", "email": "weiss@example.com"], stage: .opportunity))
        ids.append(try store.add(fields: ["last_name": "Weiss", "company": "Acme"]))
        _ = try store.mergeDuplicate(ids[2], into: ids[1])
        var filter = LeadFilter()
        filter.includeMerged = true
        let listed = try store.leads(filter)
        #expect(listed.map(\.id) == ids)
        for lead in listed {
            #expect(try store.lead(lead.id) == lead)
        }
        #expect(listed[0].fields["x_booth"] == "B12" && listed[0].tags.sorted() == ["fair", "vip"])
        #expect(listed[1].stage == .opportunity && listed[1][.email] == "weiss@example.com")
        #expect(listed[2].mergedInto == ids[1])
        filter.limit = 2
        filter.descending = true
        #expect(try store.leads(filter).map(\.id) == [ids[2], ids[1]])
    }

    @Test func fieldValuesAreTheLeadsFieldsForTheSameFilter() throws {
        let directory = try TemporaryDirectory("listing")
        let store = try Store.open(path: directory.appending("replica.sqlite").path)
        try store.initialize(node: NodeID(validating: "anna"))
        let kept = try store.add(fields: ["first_name": "Özlem", "company": "Acme", "x_booth": "B12", "source": "webinar"])
        let merged = try store.add(fields: ["last_name": "Weiß", "email": "weiss@example.com"])
        _ = try store.add(fields: ["last_name": "Krämer", "kind": "partner", "owner": "anna"])
        _ = try store.mergeDuplicate(merged, into: kept)
        let fields: [LeadField] = [.firstName, .lastName, .email, .kind, .owner, .source]
        for includeMerged in [false, true] {
            var filter = LeadFilter()
            filter.includeMerged = includeMerged
            let values = try store.fieldValues(fields, of: filter)
            let leads = try store.leads(filter)
            #expect(values.map(\.id) == leads.map(\.id))
            for (row, lead) in zip(values, leads) {
                #expect(row.values == fields.map { lead[$0] })
            }
        }
        #expect(try store.fieldValues([.firstName]).map(\.values) == [["Özlem"], [nil]])
    }
}
