import Foundation

/// One unfolded vCard content line and the physical line number it starts on.
struct VCardLogicalLine: Sendable {
    var bytes: [UInt8]
    var line: Int
}

/// The content lines between one BEGIN:VCARD and its END:VCARD.
struct VCardRawCard: Sendable {
    var beginLine: Int
    var lines: [VCardLogicalLine] = []
}

/// Cuts a vCard file into cards of unfolded content lines, working on bytes because 2.1 files
/// mix charsets per property and QUOTED-PRINTABLE must be undone before any text decoding.
///
/// Unfolding: a line starting with a space or tab continues the previous one (the break and
/// one whitespace character are removed); in a QUOTED-PRINTABLE value a line ending in `=` is
/// a soft break and the next line continues verbatim; a 2.1 BASE64 value may continue on
/// unindented lines until a blank line.
enum VCardLineReader {
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    static func cards(in bytes: [UInt8]) throws(ExchangeError) -> [VCardRawCard] {
        var state = State()
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var lineNumber = 0
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != cr, bytes[end] != lf { end += 1 }
            lineNumber += 1
            try state.consume(bytes[index..<end], line: lineNumber)
            index = end
            if index < bytes.count, bytes[index] == cr {
                // CR CR LF (iPhone exports) is one line break, like CR LF.
                var run = index
                while run < bytes.count, bytes[run] == cr { run += 1 }
                index = run < bytes.count && bytes[run] == lf ? run + 1 : index + 1
            } else if index < bytes.count, bytes[index] == lf {
                index += 1
            }
        }
        return try state.finish()
    }

    /// The card being assembled and the content line that may still be continued.
    private struct State {
        var cards: [VCardRawCard] = []
        var card: VCardRawCard?
        var pending: VCardLogicalLine?
        var pendingIsQuotedPrintable = false
        var pendingIsBase64 = false

        mutating func consume(_ line: ArraySlice<UInt8>, line number: Int) throws(ExchangeError) {
            guard var current = card else {
                if line.allSatisfy({ $0 == space || $0 == tab }) { return }
                if VCardLineReader.isMarker(line, "BEGIN:VCARD") {
                    card = VCardRawCard(beginLine: number)
                    return
                }
                throw .vcardTextOutsideCard(line: number, excerpt: ExchangeError.excerpt(bytes: line))
            }
            if pending != nil, pendingIsQuotedPrintable, endsWithSoftBreak(), !VCardLineReader.isMarker(line, "END:VCARD") {
                pending?.bytes.append(contentsOf: line)
                return
            }
            if let first = line.first, first == space || first == tab, pending != nil {
                pending?.bytes.append(contentsOf: line.dropFirst())
                return
            }
            if line.allSatisfy({ $0 == space || $0 == tab }) {
                flush(into: &current)
                card = current
                return
            }
            if pendingIsBase64, pending != nil, !line.contains(UInt8(ascii: ":")) {
                pending?.bytes.append(contentsOf: line)
                return
            }
            flush(into: &current)
            if VCardLineReader.isMarker(line, "END:VCARD") {
                cards.append(current)
                card = nil
                return
            }
            if VCardLineReader.isMarker(line, "BEGIN:VCARD") {
                throw .vcardNestedBegin(line: number, openedAt: current.beginLine)
            }
            card = current
            let bytes = Array(line)
            pending = VCardLogicalLine(bytes: bytes, line: number)
            let head = bytes[..<(VCardProperty.headEnd(bytes) ?? bytes.count)]
            let upperHead = String(decoding: head, as: UTF8.self).uppercased()
            pendingIsQuotedPrintable = upperHead.contains("QUOTED-PRINTABLE")
            pendingIsBase64 = upperHead.contains("BASE64") || upperHead.contains("ENCODING=B")
        }

        /// A QUOTED-PRINTABLE soft break: the line's last non-blank byte is `=`; it is removed.
        private mutating func endsWithSoftBreak() -> Bool {
            guard var bytes = pending?.bytes else { return false }
            while let last = bytes.last, last == space || last == tab { bytes.removeLast() }
            guard bytes.last == UInt8(ascii: "=") else { return false }
            bytes.removeLast()
            pending?.bytes = bytes
            return true
        }

        private mutating func flush(into current: inout VCardRawCard) {
            if let line = pending { current.lines.append(line) }
            pending = nil
            pendingIsQuotedPrintable = false
            pendingIsBase64 = false
        }

        mutating func finish() throws(ExchangeError) -> [VCardRawCard] {
            if let open = card { throw .vcardMissingEnd(beginLine: open.beginLine) }
            return cards
        }
    }

    /// Case-insensitive match of a whole line such as `END:VCARD`, ignoring surrounding blanks.
    static func isMarker(_ line: ArraySlice<UInt8>, _ marker: String) -> Bool {
        let text = String(decoding: line, as: UTF8.self).trimmed
        return text.caseInsensitiveCompare(marker) == .orderedSame
    }
}
