import LeadSyncCore
import LeadSyncStore

/// Text renderings of leads and conflicts, shared by `show`, `list` and `conflicts`.
enum LeadText {
    /// A lead's fields in a stable order: the standard fields as declared, then custom fields by name.
    static func orderedFields(_ lead: Lead) -> [(name: String, value: String)] {
        let standard = LeadField.allCases.compactMap { field in lead[field].map { (field.rawValue, $0) } }
        let standardNames = Set(LeadField.allCases.map(\.rawValue))
        let custom = lead.fields.filter { !standardNames.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return standard + custom
    }

    /// "First Last", or the email, or the company: the best short label of a lead.
    static func displayName(_ lead: Lead) -> String {
        let name = [lead[.firstName], lead[.lastName]].compactMap { $0 }.joined(separator: " ")
        return name.isEmpty ? (lead[.email] ?? lead[.company] ?? "") : name
    }

    static func detail(_ lead: Lead, notes: [Activity], conflicts: [Conflict]) -> String {
        var rows = orderedFields(lead).map { [$0.name, $0.value] }
        rows.append(["lifecycle_stage", lead.stage.rawValue])
        rows.append(["tags", lead.tags.isEmpty ? "-" : lead.tags.joined(separator: ", ")])
        rows.append(["deleted", lead.deleted ? "yes (restore with 'leadsync restore \(lead.id.short)')" : "no"])
        rows.append(["created", "\(Formatting.iso8601(lead.createdAt)) by \(lead.createdBy)"])
        rows.append(["updated", Formatting.iso8601(lead.updatedAt)])
        var lines = ["Lead \(lead.id)", TextTable(rows: rows).render(indent: "  ")]
        lines.append("")
        lines.append(notes.isEmpty ? "No notes." : "Notes (\(notes.count)):")
        for note in notes {
            let text = note.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n      ")
            lines.append("  \(Formatting.iso8601(note.hlc))  \(note.origin)")
            lines.append("      \(text)")
        }
        if !conflicts.isEmpty {
            lines.append("")
            lines.append("Open conflicts (\(conflicts.count)):")
            for conflict in conflicts { lines.append(contentsOf: conflictLines(conflict, showLead: false)) }
        }
        return lines.joined(separator: "\n")
    }

    /// A conflict as a few aligned lines: field, then winner and loser with writer and time.
    static func conflictLines(_ conflict: Conflict, showLead: Bool) -> [String] {
        let head = showLead ? "\(conflict.record.short)  \(conflict.field)" : conflict.field
        let table = TextTable(rows: [
            ["winner", quoted(conflict.winner.value), "by \(conflict.winner.origin)", "at \(Formatting.iso8601(conflict.winner.hlc))"],
            ["loser", quoted(conflict.loser.value), "by \(conflict.loser.origin)", "at \(Formatting.iso8601(conflict.loser.hlc))"],
        ])
        return ["  " + head, table.render(indent: "    ")]
    }

    static func quoted(_ value: String) -> String {
        value.isEmpty ? "(cleared)" : "\"\(value)\""
    }
}
