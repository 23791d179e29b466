import LeadSyncCore

/// A lead's `search_text` made in Swift where its row is written, byte for byte what
/// ``SearchFold/searchTextSQL(lead:row:)`` computes from the row: each searched column (or nothing
/// for NULL) followed by a space, then the notes joined by spaces, folded as a whole.
enum SearchText {
    /// ``SearchFold/searchedColumns`` in order, as standard fields; nil stands for `custom`.
    static let columns: [LeadField?] = SearchFold.searchedColumns.map { column in
        guard column != "custom" else { return nil }
        guard let field = LeadField(rawValue: column) else {
            preconditionFailure("searched column \(column) is neither a standard field nor custom")
        }
        return field
    }

    /// The folded text. `column` appends the value of the searched column at an index of
    /// ``columns``; `notes` appends the notes.
    static func make(column: (Int, inout [UInt8]) -> Void, notes: (inout [UInt8]) -> Void = { _ in }) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(256)
        for index in columns.indices {
            column(index, &text)
            text.append(UInt8(ascii: " "))
        }
        notes(&text)
        return SearchFold.fold(utf8: text)
    }
}
