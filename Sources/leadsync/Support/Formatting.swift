import Foundation
import LeadSyncCore

/// How times and tables look in text output.
enum Formatting {
    /// An HLC's wall time in local time with its offset (text output), e.g.
    /// `2026-04-21T14:30:00.000+02:00` in Europe/Berlin; `…Z` when the zone is UTC.
    static func local(_ hlc: HLC) -> String {
        local(millis: hlc.wallMillis)
    }

    /// Unix milliseconds in the local zone (``LocalZone``) with its offset.
    static func local(millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        return date.formatted(Date.ISO8601FormatStyle(
            timeZoneSeparator: .colon, includingFractionalSeconds: true, timeZone: LocalZone.current))
    }

    /// An HLC's wall time as ISO-8601 UTC with milliseconds, e.g. `2025-05-14T09:30:12.345Z` (JSON).
    static func iso8601(_ hlc: HLC) -> String {
        iso8601(millis: hlc.wallMillis)
    }

    /// Unix milliseconds as ISO-8601 UTC with milliseconds.
    static func iso8601(millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// `n lead` / `n leads`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// The width tables must fit: `$COLUMNS` when set, else the terminal's when standard output is
    /// one, else nil (piped output is never cut).
    static func terminalWidth() -> Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { return columns }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Shortens a cell to `width` characters, marking the cut with `…`.
    static func truncate(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}

/// A plain text table: columns padded to their widest cell, two spaces apart, no trailing blanks.
struct TextTable {
    var header: [String]?
    var rows: [[String]] = []

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// - Parameter maxWidth: the line width to fit (see ``Formatting/terminalWidth()``): the widest
    ///   columns are narrowed first, their cells cut with `…`; nil never cuts.
    func render(indent: String = "", fitting maxWidth: Int? = nil) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        if let maxWidth {
            var excess = indent.count + widths.reduce(0, +) + 2 * max(0, columns - 1) - maxWidth
            while excess > 0, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
                widths[widest] -= 1
                excess -= 1
            }
        }
        return all.map { row in
            let cells = row.enumerated().map { index, full in
                let cell = Formatting.truncate(full, to: widths[index])
                return index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            let line = indent + cells.joined(separator: "  ")
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }.joined(separator: "\n")
    }
}
