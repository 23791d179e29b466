import Foundation
import LeadSyncExchange
import Synchronization

/// One row (CSV record or vCard) as read from the file, before validation.
struct SourceRow: Sendable {
    /// The 1-based line where the row starts.
    var line: Int
    /// The parsed draft, or why the row could not even be parsed.
    var draft: Result<LeadDraft, ImportRowError>
    /// The row as it was in the file, for the rejected-rows file.
    var original: OriginalRow
}

/// What a rejected row looked like in the input.
enum OriginalRow: Sendable {
    /// The record's fields, decoded and unquoted.
    case csv([String])
    /// The card's bytes from BEGIN:VCARD to END:VCARD, line breaks included.
    case vcard([UInt8])
}

/// A streaming reader of rows: one at a time, so memory does not grow with the file.
protocol ImportRecordSource {
    /// The next row, or nil at the end. Throws only for problems that make the rest of the file
    /// unreadable (an unterminated quote, text that is not a vCard, an I/O error).
    mutating func next() throws(ExchangeError) -> SourceRow?
    /// Whether the file is a LeadSync export (`leadsync export`), whose rows carry every field
    /// they have: no implicit default source is added to them.
    var isLeadSyncExport: Bool { get }
}

/// Counts the bytes a reader has taken from its file, readable from outside the reader (which
/// owns its byte source) for the progress display.
final class ByteCounter: Sendable {
    private let value = Atomic<Int>(0)

    var count: Int { value.load(ordering: .relaxed) }

    func add(_ bytes: Int) {
        value.add(bytes, ordering: .relaxed)
    }
}

/// A file handle byte source that reports how far it has read.
struct CountingByteSource: ByteSource {
    var base: FileHandleByteSource
    let counter: ByteCounter

    mutating func read(into buffer: inout [UInt8], maxCount: Int) throws(ExchangeError) -> Int {
        let count = try base.read(into: &buffer, maxCount: maxCount)
        counter.add(count)
        return count
    }
}

/// CSV rows mapped onto drafts with ``ColumnMapping``.
struct CSVImportSource: ImportRecordSource {
    private(set) var reader: CSVReader
    let mapping: ColumnMapping
    let isLeadSyncExport: Bool

    /// The header row, for the rejected-rows file.
    var header: [String] { reader.header.fields }

    init(reader: CSVReader, mapping: ColumnMapping) {
        self.reader = reader
        self.mapping = mapping
        let ours = LeadFields.standard + ["tags", "notes"]
        let header = reader.header.fields
        isLeadSyncExport = header.count >= ours.count && Array(header.prefix(ours.count)) == ours
    }

    mutating func next() throws(ExchangeError) -> SourceRow? {
        do {
            guard let record = try reader.next() else { return nil }
            return SourceRow(line: record.line, draft: .success(mapping.draft(from: record)), original: .csv(record.fields))
        } catch {
            guard case .csvFieldCountMismatch(let line, _, _) = error else { throw error }
            let fields = reader.mismatchedRecord?.fields ?? []
            return SourceRow(line: line, draft: .failure(ImportRowError(error)), original: .csv(fields))
        }
    }
}

/// vCards cut out of the file one at a time and parsed with ``VCardParser``, so a file with
/// thousands of cards never sits in memory and each card keeps its own line number and text.
struct VCardImportSource: ImportRecordSource {
    private var source: any ByteSource
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var lineNumber = 0
    private var sawCard = false
    private(set) var isLeadSyncExport = false

    init(source: some ByteSource) {
        self.source = source
    }

    mutating func next() throws(ExchangeError) -> SourceRow? {
        var card: [UInt8] = []
        var beginLine = 0
        while let (line, raw) = try nextLine() {
            if beginLine == 0 {
                if isBlank(line) { continue }
                guard isMarker(line, "BEGIN:VCARD") else {
                    throw .vcardTextOutsideCard(line: lineNumber, excerpt: excerpt(line))
                }
                beginLine = lineNumber
                card = raw
                continue
            }
            card.append(contentsOf: raw)
            if isMarker(line, "END:VCARD") {
                return row(card, beginLine: beginLine)
            }
        }
        guard beginLine > 0 else { return nil }
        let error = ExchangeError.vcardMissingEnd(beginLine: beginLine)
        return SourceRow(line: beginLine, draft: .failure(ImportRowError(error)), original: .vcard(card))
    }

    private mutating func row(_ card: [UInt8], beginLine: Int) -> SourceRow {
        if !sawCard {
            sawCard = true
            isLeadSyncExport = Self.hasLeadSyncProductID(card)
        }
        do {
            let drafts = try VCardParser.parse(Data(card))
            let draft = drafts.first ?? LeadDraft()
            return SourceRow(line: beginLine, draft: .success(draft), original: .vcard(card))
        } catch {
            let shifted = Self.shift(error, by: beginLine - 1)
            return SourceRow(line: beginLine, draft: .failure(ImportRowError(shifted)), original: .vcard(card))
        }
    }

    /// `PRODID` as ``LeadExporter`` writes it.
    static let productID = "PRODID:-//LeadSync//LeadSync CLI//EN"

    private static func hasLeadSyncProductID(_ card: [UInt8]) -> Bool {
        let text = String(decoding: card, as: UTF8.self)
        return text.contains(productID)
    }

    /// The parser numbers lines from the card's start; the user needs the file's line numbers.
    static func shift(_ error: ExchangeError, by offset: Int) -> ExchangeError {
        switch error {
        case .vcardMissingEnd(let line): return .vcardMissingEnd(beginLine: line + offset)
        case .vcardNestedBegin(let line, let openedAt): return .vcardNestedBegin(line: line + offset, openedAt: openedAt + offset)
        case .vcardTextOutsideCard(let line, let excerpt): return .vcardTextOutsideCard(line: line + offset, excerpt: excerpt)
        case .vcardMalformedProperty(let line, let excerpt): return .vcardMalformedProperty(line: line + offset, excerpt: excerpt)
        case .vcardInvalidQuotedPrintable(let line, let property):
            return .vcardInvalidQuotedPrintable(line: line + offset, property: property)
        case .vcardUnsupportedCharset(let line, let property, let charset):
            return .vcardUnsupportedCharset(line: line + offset, property: property, charset: charset)
        default: return error
        }
    }

    /// The next physical line (CRLF, LF or a lone CR end it, as in ``VCardParser``) without
    /// and with its line break.
    private mutating func nextLine() throws(ExchangeError) -> (line: ArraySlice<UInt8>, raw: [UInt8])? {
        while true {
            var end = position
            while end < buffer.count, buffer[end] != 0x0D, buffer[end] != 0x0A { end += 1 }
            let complete: Bool
            var next = end
            if end < buffer.count {
                if buffer[end] == 0x0D {
                    if end + 1 < buffer.count {
                        next = buffer[end + 1] == 0x0A ? end + 2 : end + 1
                        complete = true
                    } else {
                        next = end + 1
                        complete = atEnd  // a CR at the chunk's end may be the first half of CRLF
                    }
                } else {
                    next = end + 1
                    complete = true
                }
            } else {
                complete = atEnd && end > position
                if atEnd && end == position { return nil }
            }
            if complete {
                let raw = Array(buffer[position..<next])
                let line = raw[0..<(end - position)]
                position = next
                lineNumber += 1
                return (line, raw)
            }
            try fill()
        }
    }

    private mutating func fill() throws(ExchangeError) {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let wasEmpty = lineNumber == 0 && buffer.isEmpty
        if try source.read(into: &buffer, maxCount: max(65_536, buffer.count)) == 0 { atEnd = true }
        if wasEmpty, buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    private func isMarker(_ line: ArraySlice<UInt8>, _ marker: String) -> Bool {
        var text = line
        while let first = text.first, first == 0x20 || first == 0x09 { text = text.dropFirst() }
        while let last = text.last, last == 0x20 || last == 0x09 { text = text.dropLast() }
        return text.count == marker.utf8.count && zip(text, marker.utf8).allSatisfy { a, b in
            (a >= 0x61 && a <= 0x7A ? a - 0x20 : a) == b
        }
    }

    private func excerpt(_ line: ArraySlice<UInt8>) -> String {
        let text = String(decoding: line.prefix(40), as: UTF8.self)
        return line.count > 40 ? text + "…" : text
    }
}

extension ImportRowError {
    /// The parser's message, split into the line it names (if any) and the reason.
    init(_ error: ExchangeError) {
        let text = error.description
        if text.hasPrefix("line "), let colon = text.firstRange(of: ": "),
           let number = Int(text[text.index(text.startIndex, offsetBy: 5)..<colon.lowerBound]) {
            self.init(String(text[colon.upperBound...]), line: number)
        } else {
            self.init(text)
        }
    }
}
