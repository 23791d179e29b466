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
            The file is streamed and applied in ONE transaction. Rows import whole: a value that \
            fails validation (a bad phone, an unknown stage) is set aside, kept in an x_<field>_raw \
            field where it fits and listed in FILE.warnings.csv; only a row with no name, email, \
            phone or company is left out (to FILE.rejected.csv). --strict refuses a row for any \
            invalid value and imports nothing if any row is refused (with --skip-invalid: the \
            rest). Rows whose email matches a lead (or an earlier row) are duplicates: skipped by \
            default. See Docs/import-export.md.

            Example:
              leadsync import hubspot-export.csv --event "EuroShop 2026" --dry-run
              leadsync import contacts.vcf --on-duplicate update
              leadsync import messe.csv --map "Firma=company" --json
              leadsync import crm.csv --strict --skip-invalid
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
    @Flag(help: "Refuse a row for any invalid value, and import nothing if a row is refused (all or nothing).")
    var strict = false
    @Flag(name: .customLong("skip-invalid"), help: "With --strict: import the valid rows and write the invalid ones to the rejected file.")
    var skipInvalid = false
    @Option(help: ArgumentHelp("Where left-out rows go (default: FILE.rejected.csv, or .vcf).", valueName: "file"))
    var rejected: String?
    @Option(help: ArgumentHelp("Where set-aside values are listed (default: FILE.warnings.csv).", valueName: "file"))
    var warnings: String?
    @Option(name: .customLong("on-duplicate"), help: ArgumentHelp(
        "When a row's email is already known: skip (default), update the lead, or create a new one.", valueName: "skip|update|create"))
    var onDuplicate: String = DuplicatePolicy.skip.rawValue

    func validate() throws {
        if rejected != nil && strict && !skipInvalid { throw ValidationError("--rejected with --strict needs --skip-invalid") }
        if warnings != nil && strict { throw ValidationError("--warnings does not apply with --strict: nothing is set aside") }
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
        options.strict = strict
        options.warningsFile = warnings.map { URL(fileURLWithPath: $0) }
        options.rejectedFile = rejected.map { URL(fileURLWithPath: $0) }
        guard let policy = DuplicatePolicy(rawValue: onDuplicate.lowercased()) else {
            throw CLIError("invalid --on-duplicate '\(onDuplicate)': use skip, update or create")
        }
        options.onDuplicate = policy

        let (store, _) = try home.openReplica()
        if options.event == nil {
            options.event = try store.setting(ReplicaSetting.event.rawValue).map { try InputParsing.value($0, for: .event) }
        }
        options.region = try store.setting(ReplicaSetting.region.rawValue)
        options.knownNodes = try store.knownNodes()
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
        if summary.outcome == .dryRun && summary.invalid > 0 && strict && !skipInvalid {
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
        if summary.setAside > 0 {
            var setAside = ["values set aside", "\(summary.setAside) in \(Formatting.count(summary.setAsideRows, "row"))"]
            if let file = summary.warningsFile { setAside.append("(listed in \(file))") }
            rows.append(setAside)
        }
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

    /// The reported set-aside values and invalid rows, `line N: reason`, then how many were not listed.
    static func issueLines(_ summary: ImportSummary) -> [String] {
        var lines: [String] = []
        if summary.setAside > 0 {
            lines += ["", "Values set aside (the rows were imported):"]
            lines += summary.setAsideValues.map { issue in
                "  line \(issue.line): \(issue.value.reason)" + (issue.value.keptAs.map { "; kept in \($0)" } ?? "")
            }
            let more = summary.setAside - summary.setAsideValues.count
            if more > 0 { lines.append("  … and \(more) more") }
        }
        guard summary.invalid > 0 else { return lines }
        lines += ["", "Invalid rows:"]
        lines += summary.errors.map { "  line \($0.line): \($0.message)" }
        let more = summary.invalid - summary.errors.count
        if more > 0 { lines.append("  … and \(Formatting.count(more, "more invalid row"))") }
        return lines
    }
}
