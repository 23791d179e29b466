import Foundation

/// Everything that can go wrong while reading or writing an exchange format.
///
/// Each case carries the line (and column or property) so the CLI can print a message the user
/// can act on without opening a debugger; `description` is that message.
public enum ExchangeError: Error, CustomStringConvertible, Sendable, Hashable {
    // MARK: vCard
    /// A card began on `beginLine` but the file ended before its END:VCARD.
    case vcardMissingEnd(beginLine: Int)
    /// A BEGIN:VCARD appeared on `line` while the card from `openedAt` was still open.
    case vcardNestedBegin(line: Int, openedAt: Int)
    /// Text that belongs to no card, e.g. a truncated or concatenated file.
    case vcardTextOutsideCard(line: Int, excerpt: String)
    /// A content line without the `NAME:value` shape.
    case vcardMalformedProperty(line: Int, excerpt: String)
    /// A QUOTED-PRINTABLE value with an `=` not followed by two hex digits.
    case vcardInvalidQuotedPrintable(line: Int, property: String)
    /// A CHARSET this library cannot decode.
    case vcardUnsupportedCharset(line: Int, property: String, charset: String)

    // MARK: Badge payloads
    /// The scanned code was empty.
    case badgeEmpty
    /// The scanned code is none of the supported payload formats.
    case badgeUnrecognized(excerpt: String)
    /// A badge held several vCards; a badge identifies one person.
    case badgeMultipleCards(count: Int)
    /// The payload had the right shape but no contact data (`format` names the shape).
    case badgeNoContactData(format: String)
    /// A mailto: link with a broken `%XX` escape.
    case badgeInvalidPercentEncoding(excerpt: String)

    // MARK: CSV reading
    /// The file has no header row.
    case csvEmptyFile
    /// A quoted field that starts on `line` never closes.
    case csvUnterminatedQuote(line: Int, column: String)
    /// Text follows a closing quote, which usually means the wrong delimiter or a stray quote.
    case csvTextAfterClosingQuote(line: Int, column: String)
    /// A record whose field count differs from the header's; the reader can continue after it.
    case csvFieldCountMismatch(line: Int, expected: Int, found: Int)
    /// The byte source failed (I/O error).
    case readFailed(reason: String)

    // MARK: Column mapping
    /// A `--map` argument without `COLUMN=field` shape.
    case mappingMalformedOverride(String)
    /// A `--map` argument naming a target that is not a LeadSync field.
    case mappingUnknownTargetField(column: String, field: String)
    /// A `--map` argument naming a column the file does not have.
    case mappingUnknownColumn(column: String, available: [String])
    /// Two `--map` arguments sending different columns to the same field.
    case mappingDuplicateTarget(field: String, columns: [String])

    // MARK: Writing
    /// A draft has a field the CSV header was not created with; streaming cannot add columns later.
    case csvUnlistedField(field: String)
    /// The sink failed (I/O error).
    case writeFailed(reason: String)

    /// The message shown to the user, naming line and column or property where known.
    public var description: String {
        switch self {
        case .vcardMissingEnd(let beginLine):
            return "line \(beginLine): vCard starts here but has no END:VCARD; the file may be truncated"
        case .vcardNestedBegin(let line, let openedAt):
            return "line \(line): BEGIN:VCARD inside the vCard that started on line \(openedAt), which is missing its END:VCARD"
        case .vcardTextOutsideCard(let line, let excerpt):
            return "line \(line): unexpected text outside BEGIN:VCARD/END:VCARD: \"\(excerpt)\"; is this a vCard file?"
        case .vcardMalformedProperty(let line, let excerpt):
            return "line \(line): not a vCard property (expected NAME:value): \"\(excerpt)\""
        case .vcardInvalidQuotedPrintable(let line, let property):
            return "line \(line): property \(property) has broken QUOTED-PRINTABLE data (\"=\" must be followed by two hex digits)"
        case .vcardUnsupportedCharset(let line, let property, let charset):
            return "line \(line): property \(property) uses CHARSET=\(charset), which is not supported; export the card as UTF-8, ISO-8859-1 or Windows-1252"
        case .badgeEmpty:
            return "the scanned badge code is empty"
        case .badgeUnrecognized(let excerpt):
            return "the scanned code is not a vCard, MECARD, mailto: link or email address (it starts with \"\(excerpt)\"); enter the lead by hand"
        case .badgeMultipleCards(let count):
            return "the scanned code holds \(count) vCards; a badge must identify exactly one person"
        case .badgeNoContactData(let format):
            return "the scanned \(format) payload contains no contact data"
        case .badgeInvalidPercentEncoding(let excerpt):
            return "the mailto: link has a broken %-escape: \"\(excerpt)\""
        case .csvEmptyFile:
            return "the CSV file is empty; expected a header row with column names"
        case .csvUnterminatedQuote(let line, let column):
            return "line \(line): unterminated quoted field starting in column \"\(column)\"; a closing \" is missing"
        case .csvTextAfterClosingQuote(let line, let column):
            return "line \(line): text after the closing quote in column \"\(column)\"; quotes inside a quoted field must be doubled (\"\")"
        case .csvFieldCountMismatch(let line, let expected, let found):
            return "line \(line): record has \(found) fields but the header has \(expected); check for an unquoted delimiter in a value"
        case .readFailed(let reason):
            return "could not read the input: \(reason)"
        case .mappingMalformedOverride(let text):
            return "--map \"\(text)\": expected COLUMN=field, e.g. --map \"Vorname=first_name\""
        case .mappingUnknownTargetField(let column, let field):
            let known = (LeadFields.standard + ["tags", "notes", "ignore"]).joined(separator: ", ")
            return "--map \"\(column)=\(field)\": \"\(field)\" is not a LeadSync field; use one of \(known) or a custom x_name"
        case .mappingUnknownColumn(let column, let available):
            return "--map names column \"\(column)\", but the file has only: \(available.joined(separator: ", "))"
        case .mappingDuplicateTarget(let field, let columns):
            return "--map sends several columns to \(field): \(columns.joined(separator: ", ")); map only one of them"
        case .csvUnlistedField(let field):
            return "field \"\(field)\" is not a column of this CSV export; pass it in customFields when creating the writer"
        case .writeFailed(let reason):
            return "could not write the output: \(reason)"
        }
    }

    /// A short, printable preview of `text` for error messages.
    static func excerpt(_ text: some StringProtocol, limit: Int = 40) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    /// Like ``excerpt(_:limit:)`` for raw bytes of unknown encoding.
    static func excerpt(bytes: some Collection<UInt8>) -> String {
        excerpt(String(decoding: bytes.prefix(120), as: UTF8.self))
    }
}
