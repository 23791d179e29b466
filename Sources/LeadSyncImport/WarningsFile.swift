import Foundation
import LeadSyncExchange

/// Lists the values a lenient import set aside, one per line: `line,field,value,reason,kept_as`,
/// UTF-8 with a byte order mark (Excel), every value whole. Created on the first set-aside value
/// and renamed into place only when the import commits (see ``AtomicFile``).
final class WarningsFileWriter {
    static let header = ["line", "field", "value", "reason", "kept_as"]

    let destination: URL
    private var file: AtomicFile?
    private(set) var count = 0

    init(destination: URL) {
        self.destination = destination
    }

    func write(_ value: SetAsideValue, line: Int) throws(ExportError) {
        let file = try openIfNeeded()
        count += 1
        let cells = [String(line), value.field, value.value, value.reason, value.keptAs ?? ""]
        try file.write(RejectedRowWriter.csvRow(cells, delimiter: .comma))
    }

    func commit() throws(ExportError) {
        try file?.commit()
    }

    func discard() {
        file?.discard()
    }

    private func openIfNeeded() throws(ExportError) -> AtomicFile {
        if let file { return file }
        let file = try AtomicFile(destination: destination)
        try file.write("\u{FEFF}" + RejectedRowWriter.csvRow(Self.header, delimiter: .comma))
        self.file = file
        return file
    }
}
