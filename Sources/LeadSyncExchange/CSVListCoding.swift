import Foundation

/// The cell encodings for a draft's tags and notes, chosen to be lossless yet readable in Excel.
///
/// Tags: joined by `;`; inside a tag `\` `;` `,` are escaped with a backslash. Reading splits on
/// unescaped `;` or `,` (foreign files use either), so "Fair, 2025" survives as one tag.
///
/// Notes: joined by one blank line. Inside a note, a line that is empty or consists only of
/// backslashes (ignoring a trailing CR) gets one extra leading backslash, so a blank line in a
/// note is written as `\` and is not mistaken for a separator. Reading splits on blank lines
/// and removes that one backslash again.
enum CSVListCoding {
    static func encodeTags(_ tags: [String]) -> String {
        tags.map { $0.escapingScalars(["\\": "\\\\", ";": "\\;", ",": "\\,"]) }.joined(separator: ";")
    }

    static func decodeTags(_ cell: String) -> [String] {
        if !cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x3B || $0 == 0x5C }) {  // no , ; or backslash: one tag
            let tag = cell.trimmed
            return tag.isEmpty ? [] : [tag]
        }
        var tags: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        for scalar in cell.unicodeScalars {
            if escaped {
                if !"\\;,".unicodeScalars.contains(scalar) { current.append("\\") }
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == ";" || scalar == "," {
                tags.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if escaped { current.append("\\") }
        tags.append(String(current))
        return tags.map(\.trimmed).filter { !$0.isEmpty }
    }

    static func encodeNotes(_ notes: [String]) -> String {
        notes.map { note in
            lines(of: note).map { line in isBackslashesOnly(line) ? "\\" + line : line }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static func decodeNotes(_ cell: String) -> [String] {
        if !cell.utf8.contains(where: { $0 == 0x0A || $0 == 0x5C }) {  // no LF, no backslash: one note
            let note = cell.trimmed
            return note.isEmpty ? [] : [note]
        }
        var notes: [String] = []
        var current: [String] = []
        func finish() {
            let note = current.joined(separator: "\n").trimmed
            if !note.isEmpty { notes.append(note) }
            current = []
        }
        for line in lines(of: cell) {
            if withoutCR(line).isEmpty {
                finish()
            } else if isBackslashesOnly(line) {
                current.append(String(line.unicodeScalars.dropFirst()))
            } else {
                current.append(line)
            }
        }
        finish()
        return notes
    }

    /// Splits on LF at the scalar level: as Characters, CRLF is one grapheme and would not split.
    private static func lines(of text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    }

    /// The line without one trailing CR, so CRLF text behaves like LF text.
    private static func withoutCR(_ line: String) -> Substring.UnicodeScalarView {
        let scalars = Substring(line).unicodeScalars
        return scalars.last == "\r" ? scalars.dropLast() : scalars
    }

    private static func isBackslashesOnly(_ line: String) -> Bool {
        withoutCR(line).allSatisfy { $0 == "\\" }
    }
}
