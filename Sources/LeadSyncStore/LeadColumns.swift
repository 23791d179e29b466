import Foundation
import GRDB
import LeadSyncCore

/// Where a lead row's columns are in a query's result, found once per query. GRDB's lookup by
/// name folds the name's case on every call; reading 50,000 leads that way (30 columns each) took
/// longer than SQLite's reading of them, and `duplicates` and `report funnel` read every lead.
struct LeadColumns {
    let fields: [(field: LeadField, index: Int)]
    let id, custom, stage, tags, deleted, mergeRoot, erased, createdHLC, createdBy, updatedHLC: Int

    /// The layout of `row`, a row of `SELECT * FROM lead` (possibly with more columns).
    init(_ row: Row) throws {
        var positions: [String: Int] = [:]
        for (index, name) in row.columnNames.enumerated() where positions[name] == nil { positions[name] = index }
        func position(_ name: String) throws -> Int {
            guard let index = positions[name] else { throw StoreError.corrupt("the lead table has no column '\(name)'") }
            return index
        }
        fields = try LeadField.allCases.map { ($0, try position($0.rawValue)) }
        id = try position("id")
        custom = try position("custom")
        stage = try position("stage")
        tags = try position("tags")
        deleted = try position("deleted")
        mergeRoot = try position("merge_root")
        erased = try position("erased")
        createdHLC = try position("created_hlc")
        createdBy = try position("created_by")
        updatedHLC = try position("updated_hlc")
    }

    /// The lead in `row`, which has this layout.
    func lead(from row: Row, decoder: JSONDecoder) throws -> Lead {
        var fields: [String: String] = [:]
        for (field, index) in self.fields {
            if let value: String = row[index] { fields[field.rawValue] = value }
        }
        // Most leads have no custom fields and no tags: no decoder for those.
        let customText: String = row[custom]
        if customText != "{}" {
            let custom = try decoder.decode([String: String].self, from: Data(customText.utf8))
            fields.merge(custom) { standard, _ in standard }
        }
        let tagsText: String = row[tags]
        return Lead(
            id: try RecordID(validating: row[id]),
            fields: fields,
            stage: LifecycleStage(rawValue: row[stage]) ?? .lead,
            tags: try tagsText == "[]" ? [] : decoder.decode([String].self, from: Data(tagsText.utf8)),
            deleted: row[deleted],
            mergedInto: try (row[mergeRoot] as String?).map { try RecordID(validating: $0) },
            erased: row[erased],
            createdAt: HLC(packed: row[createdHLC]),
            createdBy: try ActorID(validating: row[createdBy]),
            updatedAt: HLC(packed: row[updatedHLC]))
    }
}

extension Store {
    /// Every lead the query selects (`SELECT * FROM lead …`), decoded with one layout.
    static func fetchLeads(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Lead] {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        let decoder = JSONDecoder()
        var columns: LeadColumns?
        var leads: [Lead] = []
        while let row = try rows.next() {
            let layout = try columns ?? LeadColumns(row)
            columns = layout
            leads.append(try layout.lead(from: row, decoder: decoder))
        }
        return leads
    }

    static func lead(from row: Row) throws -> Lead {
        try LeadColumns(row).lead(from: row, decoder: JSONDecoder())
    }
}
