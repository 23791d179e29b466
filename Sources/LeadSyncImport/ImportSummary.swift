import Foundation

/// What an import did (or, for a dry run or a rolled-back import, would have done).
public struct ImportSummary: Sendable, Encodable {
    /// How the transaction ended.
    public enum Outcome: String, Sendable, Encodable {
        /// The changes are on disk.
        case committed
        /// `--dry-run`: everything was applied and rolled back on purpose.
        case dryRun = "dry_run"
        /// `--strict` and at least one row was invalid without `--skip-invalid`: nothing was written.
        case rolledBack = "rolled_back"
    }

    /// What happened to one row.
    public enum Action: String, Sendable, Encodable {
        case created, updated, unchanged
        case skippedDuplicate = "skipped_duplicate"
        case invalid
    }

    /// One invalid row, with its line and the reason.
    public struct Issue: Sendable, Encodable, Hashable {
        public let line: Int
        public let message: String
    }

    /// A value a row set aside (lenient import), with the row's line.
    public struct SetAsideIssue: Sendable, Encodable, Hashable {
        public let line: Int
        public let value: SetAsideValue

        enum CodingKeys: String, CodingKey { case line, field, value, reason, keptAs = "kept_as" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(line, forKey: .line)
            try container.encode(value.field, forKey: .field)
            try container.encode(value.value, forKey: .value)
            try container.encode(value.reason, forKey: .reason)
            try container.encode(value.keptAs, forKey: .keptAs)
        }
    }

    /// A row whose e-mail matched a lead that already existed or came from an earlier row.
    public struct Duplicate: Sendable, Encodable, Hashable {
        public let line: Int
        public let email: String
        /// The matching lead's id.
        public let existing: String
        /// Whether that lead was created from an earlier row of the same file.
        public let fromThisFile: Bool

        enum CodingKeys: String, CodingKey {
            case line, email, existing
            case fromThisFile = "from_this_file"
        }
    }

    /// One row's result, kept for small files (see ``ImportOptions/rowResultLimit``).
    public struct RowResult: Sendable, Encodable, Hashable {
        public let line: Int
        public let action: Action
        /// The lead created, updated or matched; nil for invalid rows (and dry-run ids are
        /// ones that were rolled back).
        public let lead: String?
        /// Name and e-mail, or the reason for invalid rows.
        public let detail: String
    }

    public var file: String
    public var format: ImportFormat
    public var outcome: Outcome = .committed
    /// Data rows (CSV records, vCards) read.
    public var rows = 0
    public var created = 0
    /// Duplicates brought up to date (`--on-duplicate update`).
    public var updated = 0
    /// Duplicates that already had everything (`--on-duplicate update`).
    public var unchanged = 0
    public var skippedDuplicates = 0
    /// Rows created although their e-mail was known (`--on-duplicate create`).
    public var createdDuplicates = 0
    public var invalid = 0
    /// Values set aside by lenient validation (all rows), and the rows that had any.
    public var setAside = 0
    public var setAsideRows = 0
    /// Operations written (a created lead with two notes is three).
    public var operations = 0
    public var durationSeconds = 0.0
    /// Where rejected rows were written (`--skip-invalid`), nil when none were.
    public var rejectedFile: String?
    /// Where the set-aside values were listed, nil when there were none (or nothing was written).
    public var warningsFile: String?
    /// The first set-aside values (``ImportOptions/reportLimit``); ``setAside`` counts all.
    public var setAsideValues: [SetAsideIssue] = []
    /// The first invalid rows (``ImportOptions/reportLimit``); ``invalid`` counts all.
    public var errors: [Issue] = []
    /// The first duplicates; ``skippedDuplicates`` + ``updated`` + ``unchanged`` + ``createdDuplicates`` count all.
    public var duplicates: [Duplicate] = []
    /// Every row's result when the file has at most ``ImportOptions/rowResultLimit`` rows, else nil.
    public var rowResults: [RowResult]?

    public var rowsPerSecond: Double { durationSeconds > 0 ? Double(rows) / durationSeconds : 0 }

    /// Whether the command should report failure (`--strict`, invalid rows, no `--skip-invalid`).
    public var failed: Bool { outcome == .rolledBack }

    init(file: String, format: ImportFormat) {
        self.file = file
        self.format = format
    }

    enum CodingKeys: String, CodingKey {
        case file, format, outcome, rows, created, updated, unchanged, invalid, operations, errors, duplicates
        case skippedDuplicates = "skipped_duplicates", createdDuplicates = "created_duplicates"
        case durationSeconds = "duration_seconds", rowsPerSecond = "rows_per_second"
        case rejectedFile = "rejected_file", rowResults = "row_results", dryRun = "dry_run"
        case setAside = "set_aside", setAsideRows = "set_aside_rows", setAsideValues = "set_aside_values"
        case warningsFile = "warnings_file"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(format.rawValue, forKey: .format)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(outcome == .dryRun, forKey: .dryRun)
        try container.encode(rows, forKey: .rows)
        try container.encode(created, forKey: .created)
        try container.encode(updated, forKey: .updated)
        try container.encode(unchanged, forKey: .unchanged)
        try container.encode(skippedDuplicates, forKey: .skippedDuplicates)
        try container.encode(createdDuplicates, forKey: .createdDuplicates)
        try container.encode(invalid, forKey: .invalid)
        try container.encode(setAside, forKey: .setAside)
        try container.encode(setAsideRows, forKey: .setAsideRows)
        try container.encode(operations, forKey: .operations)
        try container.encode((durationSeconds * 1000).rounded() / 1000, forKey: .durationSeconds)
        try container.encode(rowsPerSecond.rounded(), forKey: .rowsPerSecond)
        try container.encode(rejectedFile, forKey: .rejectedFile)
        try container.encode(warningsFile, forKey: .warningsFile)
        try container.encode(setAsideValues, forKey: .setAsideValues)
        try container.encode(errors, forKey: .errors)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encodeIfPresent(rowResults, forKey: .rowResults)
    }
}
