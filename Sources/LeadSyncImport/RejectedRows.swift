import Foundation
import LeadSyncExchange

/// Writes the rows `--skip-invalid` left out, as they were in the input plus the reason, so the
/// user can fix them in the same tool and import just that file again.
///
/// - CSV: the input's header plus an `error` column, then each rejected record (fields as read,
///   short records padded so the error lands under its header), with the input's delimiter, in
///   UTF-8 with a byte order mark so Excel shows umlauts. Importing the file again ignores the
///   `error` column automatically.
/// - vCard: each rejected card as it was, with an `X-LEADSYNC-IMPORT-ERROR` property holding
///   the reason (importers ignore unknown X- properties).
///
/// The file is created on the first rejected row and only renamed into place when the import
/// commits (see ``AtomicFile``).
final class RejectedRowWriter {
    enum Layout {
        case csv(header: [String], delimiter: CSVDelimiter)
        case vcard
    }

    /// The header name of the added column.
    static let errorColumn = "error"

    let destination: URL
    private let layout: Layout
    private var file: AtomicFile?
    private(set) var count = 0

    init(destination: URL, layout: Layout) {
        self.destination = destination
        self.layout = layout
    }

    func write(_ original: OriginalRow, line: Int, reason: String) throws(ExportError) {
        let file = try openIfNeeded()
        count += 1
        let message = "line \(line): \(reason)"
        switch (layout, original) {
        case (.csv(let header, let delimiter), .csv(var fields)):
            if fields.count < header.count { fields += Array(repeating: "", count: header.count - fields.count) }
            try file.write(Self.csvRow(fields + [message], delimiter: delimiter))
        case (.vcard, .vcard(let bytes)):
            try file.write(bytes: Self.annotated(card: bytes, message: message))
        default:
            throw .format("internal error: a rejected row does not match the rejected file's format")
        }
    }

    /// Renames the file into place if any row was rejected.
    func commit() throws(ExportError) {
        try file?.commit()
    }

    /// Throws the file away (dry run, or the import rolled back).
    func discard() {
        file?.discard()
    }

    private func openIfNeeded() throws(ExportError) -> AtomicFile {
        if let file { return file }
        let file = try AtomicFile(destination: destination)
        if case .csv(let header, let delimiter) = layout {
            try file.write("\u{FEFF}" + Self.csvRow(header + [Self.errorColumn], delimiter: delimiter))
        }
        self.file = file
        return file
    }

    static func csvRow(_ cells: [String], delimiter: CSVDelimiter) -> String {
        let separator = String(delimiter.character)
        return cells.map { cell in
            let needsQuotes = cell.utf8.contains { $0 == delimiter.rawValue || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
            return needsQuotes ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: separator) + "\r\n"
    }

    /// The card with the error property inserted before its END:VCARD line.
    static func annotated(card: [UInt8], message: String) -> [UInt8] {
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: ";", with: "\\;")
        let property = Array("X-LEADSYNC-IMPORT-ERROR:\(escaped)\r\n".utf8)
        var bytes = card
        if bytes.last != 0x0A && bytes.last != 0x0D { bytes += [0x0D, 0x0A] }
        // Find the start of the last non-empty line (END:VCARD, or the card's last line when truncated).
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
        let lastLine = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if lastLine.caseInsensitiveCompare("END:VCARD") == .orderedSame {
            bytes.insert(contentsOf: property, at: start)
        } else {
            bytes += property + Array("END:VCARD\r\n".utf8)
        }
        return bytes
    }
}
