import Foundation
import LeadSyncImport

/// A one-line progress display on standard error, redrawn in place; only used when standard
/// error is a terminal, so logs and scripts never see it.
final class ProgressLine {
    private let label: String

    private init(label: String) {
        self.label = label
    }

    /// A progress line if standard error is a terminal, else nil.
    static func onTerminal(label: String) -> ProgressLine? {
        isatty(STDERR_FILENO) == 1 ? ProgressLine(label: label) : nil
    }

    /// Redraws the line (the importer calls this at most ten times a second).
    func show(_ progress: ImportProgress) {
        let percent = Int((progress.fraction * 100).rounded(.down))
        let rate = Int(progress.rowsPerSecond)
        draw("\(label): \(progress.rows.formatted()) rows, \(percent)%, \(rate.formatted()) rows/s")
    }

    /// Removes the line before the summary is printed.
    func clear() {
        draw("")
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }
}
