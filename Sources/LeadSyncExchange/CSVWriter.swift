import Foundation

/// Writes drafts as RFC 4180 CSV for re-import into LeadSync or import into a CRM, one row at
/// a time so exports of any size stream with flat memory.
///
/// The header is fixed when the writer is created, so custom fields must be announced up
/// front (``customFields(in:)`` collects them when all drafts are at hand); a draft with an
/// unannounced field is an error rather than silently losing data. Fields containing the
/// delimiter, a quote, CR or LF are quoted; rows end in CRLF. Tags and notes use the lossless
/// cell encodings described in `CSVListCoding` (tags joined by `;` with `\` escapes, notes
/// separated by a blank line).
public struct CSVWriter: Sendable {
    /// The header and value vocabulary written.
    public let dialect: CSVDialect
    /// The field separator written.
    public let delimiter: CSVDelimiter
    /// Custom field columns, in output order after the standard ones.
    public let customFields: [String]
    /// Whether the header starts with a UTF-8 byte order mark, which Excel needs to detect UTF-8.
    public let byteOrderMark: Bool
    private let columns: [CSVOutputColumn]
    private let knownFields: Set<String>

    /// - Parameters:
    ///   - customFields: extra columns; duplicates and standard field names are dropped.
    ///   - delimiter: `.semicolon` for German Excel.
    ///   - byteOrderMark: prefix the header with U+FEFF for Excel.
    public init(
        dialect: CSVDialect = .leadsync,
        customFields: [String] = [],
        delimiter: CSVDelimiter = .comma,
        byteOrderMark: Bool = false
    ) {
        var seen = Set<String>()
        let customs = customFields.filter { !LeadFields.isStandard($0) && seen.insert($0).inserted }
        self.dialect = dialect
        self.delimiter = delimiter
        self.customFields = customs
        self.byteOrderMark = byteOrderMark
        self.columns = dialect.columns(customFields: customs)
        self.knownFields = Set(LeadFields.standard).union(customs)
    }

    /// Every non-standard field used by `drafts`, sorted, for building a writer when all drafts
    /// are known in advance.
    public static func customFields(in drafts: some Sequence<LeadDraft>) -> [String] {
        var names = Set<String>()
        for draft in drafts {
            for name in draft.fields.keys where !LeadFields.isStandard(name) { names.insert(name) }
        }
        return names.sorted()
    }

    /// A complete CSV document; custom fields are collected from the drafts, so this cannot fail.
    public static func string(
        from drafts: [LeadDraft],
        dialect: CSVDialect = .leadsync,
        delimiter: CSVDelimiter = .comma
    ) -> String {
        let writer = CSVWriter(dialect: dialect, customFields: customFields(in: drafts), delimiter: delimiter)
        var out = writer.headerLine
        for draft in drafts { out += writer.render(draft) }
        return out
    }

    /// The header row including its CRLF (and the byte order mark, if enabled).
    public var headerLine: String {
        (byteOrderMark ? "\u{FEFF}" : "") + row(columns.map(\.header))
    }

    /// One data row including its CRLF; throws if the draft has a field without a column.
    public func line(for draft: LeadDraft) throws(ExchangeError) -> String {
        if let unlisted = draft.fields.keys.sorted().first(where: { !knownFields.contains($0) }) {
            throw .csvUnlistedField(field: unlisted)
        }
        return render(draft)
    }

    /// Streams the header and then one row per draft into `sink` (e.g. appending to a file).
    /// Sink errors are reported as ``ExchangeError/writeFailed(reason:)``.
    public func write(_ drafts: some Sequence<LeadDraft>, to sink: (String) throws -> Void) throws(ExchangeError) {
        try emit(headerLine, to: sink)
        for draft in drafts {
            try emit(try line(for: draft), to: sink)
        }
    }

    /// Streams into an open file handle, buffering about 64 KiB per write call.
    public func write(_ drafts: some Sequence<LeadDraft>, to handle: FileHandle) throws(ExchangeError) {
        var pending = ""
        let flushThreshold = 65_536
        func flush() throws {
            guard !pending.isEmpty else { return }
            try handle.write(contentsOf: Data(pending.utf8))
            pending = ""
        }
        try write(drafts) { text in
            pending += text
            if pending.utf8.count >= flushThreshold { try flush() }
        }
        do { try flush() } catch { throw .writeFailed(reason: error.localizedDescription) }
    }

    private func emit(_ text: String, to sink: (String) throws -> Void) throws(ExchangeError) {
        do {
            try sink(text)
        } catch let error as ExchangeError {
            throw error
        } catch {
            throw .writeFailed(reason: error.localizedDescription)
        }
    }

    func render(_ draft: LeadDraft) -> String {
        row(columns.map { column in
            switch column.content {
            case .field(let name): return draft.fields[name].map { dialect.exportValue($0, for: name) } ?? ""
            case .tags: return CSVListCoding.encodeTags(draft.tags)
            case .notes: return CSVListCoding.encodeNotes(draft.notes)
            }
        })
    }

    private func row(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: String(delimiter.character)) + "\r\n"
    }

    private func quoted(_ cell: String) -> String {
        let needsQuotes = cell.utf8.contains { byte in
            byte == delimiter.rawValue || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A
        }
        guard needsQuotes else { return cell }
        return "\"" + cell.escapingScalars(["\"": "\"\""]) + "\""
    }
}
