import Foundation

/// Decides where each CSV column goes, so files from HubSpot, Salesforce, Outlook or Excel
/// import without the user renaming headers.
///
/// Headers are matched ignoring case, spaces, `_` and `-` against LeadSync's own names, HubSpot
/// property names and labels, Salesforce API names and labels, Outlook and common German
/// headers. Unknown columns are kept as custom fields (`x_` + snake case of the header) rather
/// than dropped. When several columns reach the same field, the more specific one wins and the
/// others are kept as custom fields. `--map` overrides take precedence over all of this.
///
/// Values of `lifecycle_stage`, `source` and `kind` are translated from HubSpot and Salesforce
/// vocabularies (e.g. "Marketing Qualified Lead" → mql, "Working - Contacted" → sal,
/// "Closed - Converted" → customer, "Trade Show" → booth_conversation); values without a
/// translation pass through unchanged so the store can reject them with its own message.
public struct ColumnMapping: Sendable, Hashable {
    /// Where a column's values go.
    public enum Target: Sendable, Hashable {
        /// A standard or custom (`x_`) field.
        case field(String)
        /// Split into tags on unescaped `;` or `,`.
        case tags
        /// Split into notes on blank lines.
        case notes
        /// Dropped.
        case ignore
    }

    /// A header cell and the decision taken for it, for showing the mapping to the user.
    public struct Column: Sendable, Hashable {
        /// The header cell as written in the file.
        public var header: String
        /// Where the column's values go.
        public var target: Target
    }

    /// One entry per header cell, in file order.
    public let columns: [Column]
    /// Whether a notes cell holds several notes separated by blank lines: only in LeadSync's own
    /// CSV format (see ``CSVListCoding``). In other files a cell is one note, blank lines and all.
    public let splitsNotes: Bool

    /// Maps `header` (e.g. ``CSVReader/header``'s fields), applying `overrides` first.
    /// Throws when an override names a column the header lacks, or two overrides name one field.
    public init(header: [String], overrides: [ColumnOverride] = []) throws(ExchangeError) {
        let ours = LeadFields.standard + ["tags", "notes"]
        splitsNotes = header.count >= ours.count && Array(header.prefix(ours.count)) == ours
        var targets = [Target?](repeating: nil, count: header.count)
        let keys = header.map(ColumnAliases.key)
        var claimedByOverride: [String: String] = [:]
        for override in overrides {
            let key = ColumnAliases.key(override.column)
            guard let index = keys.firstIndex(of: key) else {
                throw .mappingUnknownColumn(column: override.column, available: header.map(\.trimmed))
            }
            if case .field(let name) = override.target {
                if let other = claimedByOverride[name], other != header[index] {
                    throw .mappingDuplicateTarget(field: name, columns: [other, header[index]])
                }
                claimedByOverride[name] = header[index]
            }
            targets[index] = override.target
        }

        // Automatic matches: the best-ranked column per field wins, earlier columns break ties.
        var winner: [String: (index: Int, priority: Int)] = [:]
        for (index, name) in header.enumerated() where targets[index] == nil {
            guard let entry = ColumnAliases.entry(for: name), case .field(let field) = entry.target else { continue }
            guard claimedByOverride[field] == nil else { continue }
            if let current = winner[field], current.priority >= entry.priority { continue }
            winner[field] = (index, entry.priority)
        }
        var used = Set(claimedByOverride.keys).union(winner.keys)
        for (index, name) in header.enumerated() where targets[index] == nil {
            if let entry = ColumnAliases.entry(for: name) {
                switch entry.target {
                case .field(let field) where winner[field]?.index == index:
                    targets[index] = entry.target
                    continue
                case .tags, .notes, .ignore:
                    targets[index] = entry.target
                    continue
                case .field:
                    break
                }
            }
            let custom = Self.uniqueCustomName(for: name, index: index, used: used)
            used.insert(custom)
            targets[index] = .field(custom)
        }
        columns = zip(header, targets).map { Column(header: $0, target: $1 ?? .ignore) }
    }

    /// Parses `--map` arguments and maps `header` in one step.
    public init(header: [String], overrideArguments: [String]) throws(ExchangeError) {
        var overrides: [ColumnOverride] = []
        for argument in overrideArguments { overrides.append(try ColumnOverride(parsing: argument)) }
        try self.init(header: header, overrides: overrides)
    }

    /// The draft for one record. Values are trimmed and empty ones dropped; a record shorter or
    /// longer than the header is read as far as both go.
    public func draft(from record: CSVRecord) -> LeadDraft {
        var draft = LeadDraft()
        draft.fields.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() where index < record.fields.count {
            let raw = record.fields[index]
            switch column.target {
            case .field(let name):
                let value = raw.trimmed
                guard !value.isEmpty else { continue }
                draft.fields[name] = CRMValueVocabulary.importValue(value, for: name)
            case .tags:
                draft.tags.append(contentsOf: CSVListCoding.decodeTags(raw))
            case .notes:
                if splitsNotes {
                    draft.notes.append(contentsOf: CSVListCoding.decodeNotes(raw))
                } else {
                    draft.addNote(raw)
                }
            case .ignore:
                continue
            }
        }
        return draft
    }

    /// `x_` + snake case of the header, made unique with `_2`, `_3`…; `x_column_N` for headers
    /// with nothing usable (empty, only symbols).
    private static func uniqueCustomName(for header: String, index: Int, used: Set<String>) -> String {
        let base = LeadFields.customName(for: header) ?? "x_column_\(index + 1)"
        guard used.contains(base) else { return base }
        var counter = 2
        while used.contains("\(base)_\(counter)") { counter += 1 }
        return "\(base)_\(counter)"
    }
}
