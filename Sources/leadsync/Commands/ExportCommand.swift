import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncExchange
import LeadSyncImport
import LeadSyncStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export leads as CSV, vCard or JSON lines.",
        discussion: """
            Takes the same filters as 'leadsync list'. CSV has every custom field that occurs as \
            a column; the leadsync dialect (default) keeps everything (stage, tags, notes, custom \
            fields), so importing it into an empty replica gives identical leads; hubspot and \
            salesforce use those CRMs' import headers and picklist values; excel is the leadsync \
            columns with ';' and a byte order mark, as German Excel opens them. --bom adds the \
            UTF-8 byte order mark to any CSV so Excel shows umlauts. vCard is version 4.0. \
            jsonl is one JSON object per lead and line, as 'list --json' plus its notes. Writes \
            to standard output unless --output is given; that file is replaced atomically.

            Example:
              leadsync export --format csv --dialect hubspot --event "EuroShop 2026" --output euroshop.csv
              leadsync export --format csv --dialect excel --output leads.csv
              leadsync export --format vcard --tag hot > hot.vcf
              leadsync export --format jsonl | jq .fields.email
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var filters: LeadFilterOptions

    @Option(help: ArgumentHelp("csv (default), vcard or jsonl.", valueName: "format"))
    var format: String = ExportFormat.csv.rawValue
    @Option(help: ArgumentHelp(
        "CSV flavour: leadsync (default, lossless), excel (leadsync with ';' and a BOM), hubspot or salesforce.",
        valueName: "dialect"))
    var dialect: String?
    @Flag(help: "Start the CSV with a UTF-8 byte order mark, so Excel reads umlauts right.")
    var bom = false
    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output ('-': standard output).", valueName: "file"))
    var output: String?

    func run() throws {
        guard let format = ExportFormat(rawValue: format.lowercased()) else {
            throw CLIError("invalid format '\(self.format)': use csv, vcard or jsonl")
        }
        var csvDialect = CSVDialect.leadsync
        var delimiter = CSVDelimiter.comma
        var byteOrderMark = bom
        if bom && format != .csv { throw CLIError("--bom applies to --format csv only") }
        if let dialect {
            guard format == .csv else { throw CLIError("--dialect applies to --format csv only") }
            switch dialect.lowercased() {
            case "leadsync": csvDialect = .leadsync
            case "excel":
                delimiter = .semicolon
                byteOrderMark = true
            case "hubspot": csvDialect = .hubspot
            case "salesforce": csvDialect = .salesforce
            default: throw CLIError("invalid dialect '\(dialect)': use leadsync, excel, hubspot or salesforce")
            }
        }
        let filter = try filters.makeFilter()
        let (store, _) = try home.openReplica()
        let exporter = LeadExporter(store: store, filter: filter)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let jsonLine = { (lead: Lead, activities: [Activity]) throws -> String in
            let object = LeadExportJSON(lead: LeadJSON(lead), notes: activities.map { ActivityJSON($0, shownOn: lead.id) })
            return String(decoding: try encoder.encode(object), as: UTF8.self)
        }
        if let output, output != "-" {
            let file = try AtomicFile(destination: URL(fileURLWithPath: output))
            do {
                let count = try exporter.export(
                    format: format, dialect: csvDialect, delimiter: delimiter, byteOrderMark: byteOrderMark, to: file,
                    jsonLine: jsonLine)
                try file.commit()
                print("exported \(Formatting.count(count, "lead")) to \(output)")
            } catch {
                file.discard()
                throw error
            }
        } else {
            let sink = StandardOutputSink()
            try exporter.export(
                format: format, dialect: csvDialect, delimiter: delimiter, byteOrderMark: byteOrderMark, to: sink,
                jsonLine: jsonLine)
            try sink.flush()
        }
    }
}

/// One `export --format jsonl` line: a lead as `list --json` prints it, plus its notes.
struct LeadExportJSON: Encodable {
    let lead: LeadJSON
    let notes: [ActivityJSON]

    func encode(to encoder: any Encoder) throws {
        try lead.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(notes, forKey: .notes)
    }

    enum CodingKeys: String, CodingKey { case notes }
}
