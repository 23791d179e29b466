import LeadSyncCore

/// What a `create` writes into its new lead row, worked out from the change alone: the column
/// values, the folded `search_text` and the change's op-log JSON. None of it needs the database,
/// so an import makes it on its reading thread (``LocalEditor/create(_:to:)``) and the store's
/// thread, the serial part of an import, only binds it.
public struct NewLeadRow: Sendable {
    /// The `create` change this row is made of.
    public let change: Change
    /// The change's part of the op JSON, made ahead (an import's, on its reading thread); nil when
    /// made without `encoding`, for an operation whose body its maker has already.
    let encodedChange: EncodedChange?
    let stage: String
    /// `tags` and `custom` as the lead row stores them (JSON).
    let tags: String
    let custom: String
    /// The standard fields in ``LeadField/allCases`` order; nil for a field without a value.
    let values: [String?]
    /// `search_text` exactly as the v7 triggers compute it (``SearchFold/searchTextSQL(lead:row:)``)
    /// for a new lead: the folded searchable columns, then the folded notes, of which a new lead has
    /// none (lead rows are never deleted, so a new row key has no notes either). Empty when made
    /// without folding.
    let searchText: String

    /// Nil when `change` is not a `create`. Without `folding` (a store that keeps no
    /// `search_text`, a hub's) the fold is not made; without `encoding`, the op JSON.
    public init?(_ change: Change, folding: Bool = true, encoding: Bool = true) {
        guard case .create(let fields, let stage, let tags) = change else { return nil }
        self.change = change
        encodedChange = encoding ? EncodedChange(change) : nil
        self.stage = stage.rawValue
        self.tags = JSONText.encode(Array(Set(tags)).sorted())
        var custom: [String: String] = [:]
        var values = [String?](repeating: nil, count: Self.fieldOrder.count)
        for (name, value) in fields where !value.isEmpty {
            switch name {
            case .standard(let field):
                // A linear search of 16 cases beats hashing the field.
                if let index = Self.fieldOrder.firstIndex(of: field) { values[index] = value }
            case .custom(let name):
                custom[name] = value
            }
        }
        self.custom = JSONText.encode(custom)
        self.values = values
        searchText = folding ? Self.searchText(values: values, custom: self.custom) : ""
    }

    /// `SearchFold.searchTextSQL` for a row with these columns and no notes: each searched column
    /// or '' joined by spaces, a space and the (empty) notes, folded as a whole.
    private static func searchText(values: [String?], custom: String) -> String {
        SearchText.make { index, text in
            if let column = searchedColumns[index] {
                if let value = values[column] { text.append(contentsOf: value.utf8) }
            } else {
                text.append(contentsOf: custom.utf8)
            }
        }
    }

    /// The `search_text` of a row with no values (a tombstone's): spaces and the empty `custom`.
    static let blankSearchText = searchText(values: [String?](repeating: nil, count: fieldOrder.count), custom: "{}")

    /// The order of ``values``: `LeadField.allCases`, made once (each use of `allCases` builds it).
    private static let fieldOrder = LeadField.allCases

    /// ``SearchText/columns`` as indexes into ``values``; nil for `custom`.
    private static let searchedColumns: [Int?] = SearchText.columns.map { field in
        field.flatMap { fieldOrder.firstIndex(of: $0) }
    }
}
