import Foundation
import LeadSyncCore

/// How times and tables look in text output.
enum Formatting {
    /// An HLC's wall time as ISO-8601 UTC with milliseconds, e.g. `2025-05-14T09:30:12.345Z`.
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

    func render(indent: String = "") -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            let line = indent + cells.joined(separator: "  ")
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }.joined(separator: "\n")
    }
}
