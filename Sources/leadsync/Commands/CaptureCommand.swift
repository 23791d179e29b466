import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncImport
import LeadSyncStore

struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture a lead from a scanned badge or business-card code and print a summary of it.",
        discussion: """
            --scan takes what the scanner read: a vCard, a MECARD, a mailto: link or a plain \
            email address. Give it as TEXT, or as '-' or nothing to read standard input (most \
            USB and Bluetooth scanners type into a terminal). The lead's source is badge_scan \
            unless --source says otherwise. If a lead with the same email exists, nothing is \
            captured and the existing lead is named; --allow-duplicate captures it anyway (with \
            a warning).

            Example:
              leadsync capture --scan "MECARD:N:Schmidt,Anna;EMAIL:anna@acme.example;;" --event "EuroShop 2026"
              scanner-read | leadsync capture --scan --json
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Capture from a scanned code (vCard, MECARD, mailto:, email).")
    var scan = false
    @Argument(help: ArgumentHelp("The scanned text; '-' or nothing reads standard input.", valueName: "text"))
    var text: String?
    @Option(help: ArgumentHelp(
        "Where the lead came from (default: badge_scan): \(LeadSource.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "source"))
    var source: String?
    @Option(help: ArgumentHelp("The event (fair) where the lead was captured (default: 'leadsync config set event').", valueName: "name"))
    var event: String?
    @Flag(name: .customLong("allow-duplicate"), help: "Capture even if a lead with the same email exists.")
    var allowDuplicate = false

    func validate() throws {
        guard scan else { throw ValidationError("give --scan: capture reads a scanned badge or business-card code") }
    }

    func run() throws {
        let payload: String
        if let text, text != "-" {
            payload = text
        } else {
            payload = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let (store, _) = try home.openReplica()
        var capture = BadgeCapture(store: store)
        if let source { capture.source = try InputParsing.source(source) }
        capture.event = try (event ?? store.setting(ReplicaSetting.event.rawValue)).map { try InputParsing.value($0, for: .event) }
        capture.allowDuplicate = allowDuplicate
        let result = try capture.capture(payload)
        for duplicate in result.duplicates {
            Terminal.printError("warning: same email as lead \(duplicate.id.short) (\(LeadText.displayName(duplicate))); captured anyway")
        }
        if output.json {
            try JSONOutput.print(["id": result.id.rawValue])
        } else if let lead = try store.lead(result.id) {
            print(Self.summary(lead))
        }
    }

    /// `Captured 3f2a9c1e: Anna Weber, Weber AG, anna.weber@example.com (badge_scan, EuroShop 2026)`:
    /// what the rep checks at the booth before the visitor walks away.
    static func summary(_ lead: Lead) -> String {
        var who: [String] = []
        for part in [LeadText.displayName(lead), lead[.company], lead[.email]] {
            if let part, !part.isEmpty, !who.contains(part) { who.append(part) }
        }
        let context = [lead[.source], lead[.event]].compactMap { $0 }
        var line = "Captured \(lead.id.short): " + (who.isEmpty ? "(no name)" : who.joined(separator: ", "))
        if !context.isEmpty { line += " (\(context.joined(separator: ", ")))" }
        return line
    }
}
