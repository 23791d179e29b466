import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncStore

struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a lead's personal data for good (GDPR), here and, after sync, everywhere.",
        discussion: """
            Unlike 'delete', this cannot be undone. The lead and every duplicate merged into it \
            (the same person) lose their fields, tags, activities, consent and stage history; \
            every stored operation about them becomes a content-free placeholder; a tombstone \
            keeps any replica from bringing them back. The hub and the other replicas do the \
            same when they sync. Backups and files exported earlier are not touched: see \
            Docs/lead-management.md.

            Asks for confirmation on a terminal; --yes skips it (required when standard input \
            is not a terminal, e.g. in scripts).

            Example:
              leadsync erase 3f2a
              leadsync erase 3f2a --yes && leadsync sync
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Flag(name: [.long, .customShort("y")], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        let (store, record, _) = try leadID.openReplica()
        guard let lead = try store.lead(record) else { throw StoreError.unknownLead(leadID.id) }
        if lead.erased {
            if output.json {
                try JSONOutput.print(EraseJSON(id: record.rawValue, erased: [], operations: 0))
            } else {
                print("Lead \(record.short) is already erased.")
            }
            return
        }
        let duplicates = try store.mergedDuplicates(of: record)
        if !yes { try confirm(lead, duplicates: duplicates.map(\.lead)) }
        let erased = try store.erase(record)
        if output.json {
            try JSONOutput.print(EraseJSON(id: record.rawValue, erased: erased.map(\.rawValue), operations: erased.count))
            return
        }
        var lines = ["Erased \(record.short)"]
        if erased.count > 1 {
            lines[0] += " and the \(Formatting.count(erased.count - 1, "duplicate")) merged into it: "
                + erased.dropFirst().map(\.short).joined(separator: ", ")
        }
        if let target = lead.mergedInto {
            lines.append("Note: \(record.short) had been merged into \(target.short), which keeps what the merge copied; "
                + "erase \(target.short) to erase the person.")
        }
        lines.append("Run 'leadsync sync' to erase it on the hub and the other replicas.")
        print(lines.joined(separator: "\n"))
    }

    /// Asks on the terminal; refuses when nobody can answer.
    private func confirm(_ lead: Lead, duplicates: [Lead]) throws {
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError(
                "refusing to erase lead \(lead.id.short) without confirmation: standard input is not a terminal; "
                    + "pass --yes to erase it")
        }
        let name = LeadText.displayName(lead)
        var question = "Erase lead \(lead.id.short)\(name.isEmpty ? "" : " (\(name))")"
        if !duplicates.isEmpty { question += " and the \(Formatting.count(duplicates.count, "duplicate")) merged into it" }
        question += "? Its personal data is removed here and, after sync, on the hub and every replica. "
            + "This cannot be undone. Type 'yes' to erase: "
        FileHandle.standardError.write(Data(question.utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "yes" else { throw CLIError("not erased: the answer was not 'yes'") }
    }
}

/// `erase --json`.
struct EraseJSON: Encodable {
    let id: String
    /// Every lead erased: the lead, then the duplicates merged into it. Empty when it already was.
    let erased: [String]
    let operations: Int
}
