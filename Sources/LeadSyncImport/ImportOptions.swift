import Foundation
import LeadSyncCore

/// The file formats `leadsync import` reads.
public enum ImportFormat: String, Sendable, CaseIterable {
    case csv
    case vcard

    /// By extension (`.csv`, `.tsv` → CSV; `.vcf`, `.vcard` → vCard), else by content:
    /// a file whose first non-blank text is `BEGIN:VCARD` is a vCard file, anything else CSV.
    public static func detect(path: String, head: [UInt8]) -> ImportFormat {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "tsv": return .csv
        case "vcf", "vcard": return .vcard
        default: break
        }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        while let first = bytes.first, first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D {
            bytes = bytes.dropFirst()
        }
        let start = String(decoding: bytes.prefix(11), as: UTF8.self).uppercased()
        return start == "BEGIN:VCARD" ? .vcard : .csv
    }

    /// The source given to rows without one when neither the row nor `--source` names it.
    public var defaultSource: LeadSource {
        switch self {
        case .csv: .import
        case .vcard: .businessCard
        }
    }
}

/// What to do with a row whose e-mail (ignoring case) matches an existing lead or an earlier
/// row of the same file.
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Leave the existing lead alone and report the row (the default).
    case skip
    /// Bring the existing lead up to date: one `set` with the row's non-empty fields that
    /// differ, plus its stage, missing tags and new notes.
    case update
    /// Create a new lead anyway.
    case create
}

/// Everything `leadsync import` can be told.
public struct ImportOptions: Sendable {
    /// nil: detect from the file name, else from its first bytes.
    public var format: ImportFormat?
    /// Fills `event` on rows without one.
    public var event: String?
    /// Fills `source` on rows without one; default: `import` for CSV, `business_card` for vCard
    /// (not for files written by `leadsync export`, which carry their own).
    public var source: LeadSource?
    /// `--map COLUMN=field` arguments (CSV only).
    public var mappings: [String] = []
    /// Apply everything inside the transaction, report, then roll back.
    public var dryRun = false
    /// Import the valid rows and write the others to ``rejectedFile``; otherwise one invalid row
    /// rolls back the whole import.
    public var skipInvalid = false
    /// All or nothing: any invalid value refuses its row and, without ``skipInvalid``, one refused
    /// row rolls back the import. Off by default: an invalid value is set aside (see
    /// ``SetAsideValue``), the row is imported, and rows with nothing to identify a person are
    /// left out and written to the rejected file.
    public var strict = false
    /// ISO 3166-1 alpha-2 region phone numbers without a country code are read in when the row
    /// names no country (the replica's `region` setting); nil: such numbers are invalid.
    public var region: String?
    /// Node names of the replica's reps (``Store/knownNodes()``): an owner column naming one of
    /// them by node name or person name (`Anna Schmidt` → `anna-schmidt`) maps to it.
    public var knownNodes: Set<String> = []
    /// Where set-aside values are listed; default `FILE.warnings.csv` next to the input.
    public var warningsFile: URL?
    /// Where rejected rows go; default `FILE.rejected.csv` (`FILE.rejected.vcf` for vCard) next to the input.
    public var rejectedFile: URL?
    public var onDuplicate: DuplicatePolicy = .skip
    /// How many invalid rows and duplicates the summary lists one by one (all are counted).
    public var reportLimit = 20
    /// Per-row results are kept for files of at most this many rows.
    public var rowResultLimit = 50

    public init() {}

    /// Whether refused rows are left out (and written to the rejected file) rather than rolling back.
    var leavesOutRefusedRows: Bool { skipInvalid || !strict }

    /// The default warnings file for `input`.
    public static func defaultWarningsFile(for input: URL) -> URL {
        input.deletingLastPathComponent().appendingPathComponent(input.lastPathComponent + ".warnings.csv")
    }

    /// The default rejected-rows file for `input`.
    public static func defaultRejectedFile(for input: URL, format: ImportFormat) -> URL {
        input.deletingLastPathComponent()
            .appendingPathComponent(input.lastPathComponent + (format == .csv ? ".rejected.csv" : ".rejected.vcf"))
    }
}

/// How far an import has come, for a progress line.
public struct ImportProgress: Sendable {
    public let rows: Int
    public let bytesRead: Int
    public let totalBytes: Int
    public let elapsed: Duration

    /// Share of the file read, 0…1 (1 when the size is unknown).
    public var fraction: Double { totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : 1 }

    public var rowsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(rows) / seconds : 0
    }
}
