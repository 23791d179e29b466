import GRDB
import LeadSyncCore

/// Some standard fields of one lead, in the order they were asked for.
public struct LeadFieldValues: Sendable, Hashable {
    public let id: RecordID
    /// One value per requested field; nil when the lead has none.
    public let values: [String?]
}

extension Store {
    /// The given standard fields of the leads `filter` selects, in its order. Reports and checks
    /// that read every lead but only a few of its fields (`report funnel`, `duplicates`) skip
    /// decoding the rest of each row: at 50,000 leads that was most of their time.
    public func fieldValues(_ fields: [LeadField], of filter: LeadFilter = LeadFilter()) throws(StoreError) -> [LeadFieldValues] {
        let columns = (["id"] + fields.map(\.rawValue)).joined(separator: ", ")
        let query = Self.selection(filter, columns: columns)
        return try read { db in
            let rows = try Row.fetchCursor(db, sql: query.sql, arguments: query.arguments)
            var result: [LeadFieldValues] = []
            while let row = try rows.next() {
                result.append(LeadFieldValues(
                    id: try RecordID(validating: row[0]), values: fields.indices.map { row[$0 + 1] as String? }))
            }
            return result
        }
    }
}
