import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncImport
import LeadSyncStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import leads from a CSV or vCard file.",
        discussion: """
            CSV headers from HubSpot, Salesforce, Outlook, German Excel and LeadSync's own export \
            are recognised; unknown columns become custom x_ fields; --map corrects a column. \
            The file is streamed and applied in ONE transaction: if any row is invalid, nothing \
            is imported and every bad row is reported with its line (--skip-invalid imports the \
            rest and writes the bad rows to a rejected file). Rows whose email matches a lead \
            (or an earlier row) are duplicates: skipped by default. See Docs/import-export.md.

            Example:
              leadsync import hubspot-export.csv --event "EuroShop 2026" --dry-run
              leadsync import contacts.vcf --on-duplicate update
              leadsync import messe.csv --map "Firma=company" --skip-invalid --json
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The CSV or vCard file; '-' reads standard input.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("csv or vcard (default: by extension, else by content).", valueName: "format"))
    var format: String?
    @Option(help: ArgumentHelp("Event for rows without one (default: 'leadsync config set event').", valueName: "name"))
    var event: String?
    @Option(help: ArgumentHelp(
        "Source for rows without one: \(LeadSource.allCases.map(\.rawValue).joined(separator: ", ")) (default: import for CSV, business_card for vCard).",
        valueName: "source"))
    var source: String?
    @Option(name: .customLong("map"), help: ArgumentHelp(
        "Send a CSV column to a field: a standard field, x_name, tags, notes or ignore (repeatable).", valueName: "column=field"))
    var mappings: [String] = []
    @Flag(name: .customLong("dry-run"), help: "Show what would be created, updated and skipped; write nothing.")
    var dryRun = false
    @Flag(name: .customLong("skip-invalid"), help: "Import the valid rows and write the invalid ones to the rejected file.")
    var skipInvalid = false
    @Option(help: ArgumentHelp("Where --skip-invalid writes rejected rows (default: FILE.rejected.csv, or .vcf).", valueName: "file"))
    var rejected: String?
    @Option(name: .customLong("on-duplicate"), help: ArgumentHelp(
        "When a row's email is already known: skip (default), update the lead, or create a new one.", valueName: "skip|update|create"))
    var onDuplicate: String = DuplicatePolicy.skip.rawValue

    func validate() throws {
        if rejected != nil && !skipInvalid { throw ValidationError("--rejected needs --skip-invalid") }
    }

    func run() throws {
        var options = ImportOptions()
        if let format {
            guard let parsed = ImportFormat(rawValue: format.lowercased()) else {
                throw CLIError("invalid format '\(format)': use csv or vcard")
            }
            options.format = parsed
        }
        options.event = try event.map { try InputParsing.value($0, for: .event) }
        options.source = try source.map(InputParsing.source)
        options.mappings = mappings
        options.dryRun = dryRun
        options.skipInvalid = skipInvalid
        options.rejectedFile = rejected.map { URL(fileURLWithPath: $0) }
        guard let policy = DuplicatePolicy(rawValue: onDuplicate.lowercased()) else {
            throw CLIError("invalid --on-duplicate '\(onDuplicate)': use skip, update or create")
        }
        options.onDuplicate = policy

        let (store, _) = try home.openReplica()
        if options.event == nil {
            options.event = try store.setting(ReplicaSetting.event.rawValue).map { try InputParsing.value($0, for: .event) }
        }
        let input = try InputFile.readable(file, spoolIn: home.directory)
        defer { input.cleanUp() }
        if input.isSpooled, skipInvalid, rejected == nil {
            throw CLIError("reading standard input with --skip-invalid: name the file for rejected rows with --rejected FILE")
        }
        let meter = ProgressLine.onTerminal(label: input.name)
        var summary: ImportSummary
        do {
            summary = try LeadImporter(store: store, options: options).run(
                file: input.url, progress: meter.map { meter in { meter.show($0) } })
        } catch {
            meter?.clear()
            throw error
        }
        meter?.clear()
        summary.file = input.name

        if output.json {
            try JSONOutput.print(summary)
        } else {
            print(ImportReport.text(summary, policy: policy))
        }
        if summary.failed {
            throw CLIError(
                "\(Formatting.count(summary.invalid, "row")) of \(summary.rows) \(summary.invalid == 1 ? "is" : "are") invalid; "
                    + "nothing was imported (fix \(summary.invalid == 1 ? "it" : "them"), or pass --skip-invalid to import the valid rows)",
                status: .dataError)
        }
        if summary.outcome == .dryRun && summary.invalid > 0 && !skipInvalid {
            throw CLIError(
                "dry run: \(Formatting.count(summary.invalid, "invalid row")); a real import would import nothing", status: .dataError)
        }
    }
}

/// The text report of an import.
enum ImportReport {
    static func text(_ summary: ImportSummary, policy: DuplicatePolicy) -> String {
        let name = URL(fileURLWithPath: summary.file).lastPathComponent
        var lines: [String] = []
        switch summary.outcome {
        case .committed: lines.append("Imported \(name) (\(summary.format.rawValue)):")
        case .dryRun: lines.append("Dry run of \(name) (\(summary.format.rawValue)); nothing was written. It would give:")
        case .rolledBack: lines.append("Nothing imported from \(name) (\(summary.format.rawValue)); it would have given:")
        }
        var rows: [[String]] = [["created", "\(summary.created)"]]
        if summary.createdDuplicates > 0 { rows[0].append("(\(summary.createdDuplicates) with a known email)") }
        if policy == .update {
            rows.append(["updated", "\(summary.updated)"])
            rows.append(["unchanged", "\(summary.unchanged)"])
        }
        if policy == .skip { rows.append(["skipped duplicates", "\(summary.skippedDuplicates)"]) }
        var invalid = ["invalid", "\(summary.invalid)"]
        if let rejected = summary.rejectedFile { invalid.append("(rejected rows in \(rejected))") }
        rows.append(invalid)
        rows.append(["rows", "\(summary.rows) in \(String(format: "%.2f", summary.durationSeconds)) s (\(Int(summary.rowsPerSecond)) rows/s)"])
        lines.append(TextTable(rows: rows).render(indent: "  "))
        lines += issueLines(summary)

        if let results = summary.rowResults, summary.outcome == .dryRun, !results.isEmpty {
            lines.append("")
            let table = results.map { result -> [String] in
                let action: String
                switch result.action {
                case .created: action = "would create"
                case .updated: action = "would update \(result.lead.map { String($0.prefix(8)) } ?? "")"
                case .unchanged: action = "unchanged \(result.lead.map { String($0.prefix(8)) } ?? "")"
                case .skippedDuplicate: action = "would skip, duplicate of \(result.lead.map { String($0.prefix(8)) } ?? "")"
                case .invalid: action = "invalid"
                }
                return ["line \(result.line)", action, result.detail]
            }
            lines.append(TextTable(rows: table).render(indent: "  "))
        } else if !summary.duplicates.isEmpty, policy == .skip {
            lines.append("")
            lines.append("Skipped duplicates (by email):")
            let table = summary.duplicates.map { duplicate in
                ["line \(duplicate.line)", duplicate.email,
                 "lead \(duplicate.existing.prefix(8))" + (duplicate.fromThisFile ? " (from an earlier row)" : "")]
            }
            lines.append(TextTable(rows: table).render(indent: "  "))
            let more = summary.skippedDuplicates - summary.duplicates.count
            if more > 0 { lines.append("  … and \(more) more") }
        }
        return lines.joined(separator: "\n")
    }

    /// The reported invalid rows, `line N: reason`, then how many were not listed.
    static func issueLines(_ summary: ImportSummary) -> [String] {
        guard summary.invalid > 0 else { return [] }
        var lines = ["", "Invalid rows:"]
        lines += summary.errors.map { "  line \($0.line): \($0.message)" }
        let more = summary.invalid - summary.errors.count
        if more > 0 { lines.append("  … and \(Formatting.count(more, "more invalid row"))") }
        return lines
    }
}
