import Foundation
import LeadSyncCore
import LeadSyncExchange
import LeadSyncStore

/// The formats `leadsync export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV in a ``CSVDialect``.
    case csv
    /// vCard 4.0, one card per lead.
    case vcard
    /// One JSON object per line, shaped like `list --json` plus the notes.
    case jsonl
}

/// Where exported text goes: a file replaced atomically, or standard output.
public protocol ExportSink: AnyObject {
    func write(_ text: String) throws(ExportError)
}

extension AtomicFile: ExportSink {}

/// Standard output, buffered so that large exports need few system calls.
public final class StandardOutputSink: ExportSink {
    private var pending: [UInt8] = []

    public init() {
        pending.reserveCapacity(1 << 16)
    }

    public func write(_ text: String) throws(ExportError) {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 16 { try flush() }
    }

    public func flush() throws(ExportError) {
        guard !pending.isEmpty else { return }
        do {
            try FileHandle.standardOutput.write(contentsOf: pending)
        } catch {
            throw .cannotWrite(path: "standard output", reason: error.localizedDescription)
        }
        pending.removeAll(keepingCapacity: true)
    }
}

/// Writes the leads a filter selects, streaming them from one read transaction.
///
/// The `.leadsync` CSV dialect and vCard are lossless: every field (custom `x_` fields too), the
/// lifecycle stage, tags and notes are written, so importing the export into an empty replica
/// gives identical records. vCards carry a LeadSync `PRODID`, and LeadSync CSV is recognised by
/// its header, so the importer adds no default source to leads that never had one.
public struct LeadExporter {
    public let store: Store
    public let filter: LeadFilter

    public init(store: Store, filter: LeadFilter) {
        self.store = store
        self.filter = filter
    }

    /// Writes every selected lead to `sink` and returns how many were written. CSV is written
    /// with `delimiter`, and with a UTF-8 byte order mark when `byteOrderMark` (Excel needs it to
    /// read UTF-8 rather than its ANSI code page).
    /// - Parameter jsonLine: renders one lead as a JSON line (without the line break); required
    ///   for `.jsonl`, so the CLI keeps one definition of its JSON shapes.
    @discardableResult
    public func export(
        format: ExportFormat, dialect: CSVDialect = .leadsync, delimiter: CSVDelimiter = .comma, byteOrderMark: Bool = false,
        to sink: some ExportSink, jsonLine: ((Lead, [Activity]) throws -> String)? = nil
    ) throws -> Int {
        var count = 0
        let body: (Lead, [Activity]) throws -> Void
        switch format {
        case .csv:
            let writer = CSVWriter(
                dialect: dialect, customFields: try store.customFieldNames(filter), delimiter: delimiter,
                byteOrderMark: byteOrderMark)
            try sink.write(writer.headerLine)
            body = { lead, activities in try sink.write(try writer.line(for: Self.draft(lead, activities))) }
        case .vcard:
            body = { lead, activities in try sink.write(Self.card(Self.draft(lead, activities))) }
        case .jsonl:
            guard let jsonLine else { throw ExportError.format("jsonl export needs a line renderer") }
            body = { lead, activities in try sink.write(try jsonLine(lead, activities) + "\n") }
        }
        // The store reports a failing body as a database error; keep the real one (disk full…).
        var failure: (any Error)?
        do {
            try store.forEachLead(filter) { lead, activities in
                do {
                    try body(lead, activities)
                } catch {
                    failure = error
                    throw error
                }
                count += 1
            }
        } catch {
            throw failure ?? error
        }
        return count
    }

    /// The lead as a draft: its fields, `lifecycle_stage`, tags and note texts (oldest first).
    public static func draft(_ lead: Lead, _ activities: [Activity]) -> LeadDraft {
        var fields = lead.fields
        fields[Store.stageFieldName] = lead.stage.rawValue
        return LeadDraft(fields: fields, tags: lead.tags, notes: activities.filter { $0.type == "note" }.map(\.text))
    }

    /// A vCard 4.0 with LeadSync's PRODID after the VERSION line.
    static func card(_ draft: LeadDraft) -> String {
        let card = VCardWriter.card(for: draft)
        let head = "BEGIN:VCARD\r\nVERSION:4.0\r\n"
        guard card.hasPrefix(head) else { return card }
        return head + VCardImportSource.productID + "\r\n" + card.dropFirst(head.count)
    }
}
