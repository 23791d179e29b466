import LeadSyncCore
import LeadSyncRules
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
        displayName { lead[$0] }
    }

    /// The same label from a lookup of standard fields, for reads that fetched only a few of them.
    static func displayName(_ value: (LeadField) -> String?) -> String {
        let name = [value(.firstName), value(.lastName)].compactMap { $0 }.joined(separator: " ")
        return name.isEmpty ? (value(.email) ?? value(.company) ?? "") : name
    }

    static func detail(_ detail: LeadDetail) -> String {
        let lead = detail.lead
        if lead.erased {
            return """
                Lead \(lead.id) was erased (GDPR): its personal data, activities, consent and history were removed; \
                only this tombstone remains, so that no replica brings it back.
                """
        }
        // Phone numbers are stored in E.164 and shown in international format (+49 30 1234567).
        var rows = orderedFields(lead).map { field in
            let isPhone = (try? FieldName(validating: field.name)).map(LeadValidator.isPhoneField) ?? false
            return [field.name, isPhone ? LeadValidator.displayPhone(field.value) : field.value]
        }
        rows.append(["lifecycle_stage", lead.stage.rawValue])
        rows.append(["tags", lead.tags.isEmpty ? "-" : lead.tags.joined(separator: ", ")])
        rows.append(["deleted", lead.deleted ? "yes (restore with 'leadsync restore \(lead.id.short)')" : "no"])
        rows.append(["created", "\(Formatting.local(lead.createdAt)) by \(lead.createdBy)"])
        rows.append(["updated", Formatting.local(lead.updatedAt)])
        var lines = ["Lead \(lead.id)", TextTable(rows: rows).render(indent: "  ")]
        if let target = lead.mergedInto {
            let name = detail.mergedInto.map { " (\(displayName($0)))" } ?? ""
            lines.append("")
            lines.append(
                "Merged into \(target.short)\(name): this is a duplicate; see 'leadsync show \(target.short)' "
                    + "('leadsync unmerge \(lead.id.short)' undoes the merge).")
        }
        if !detail.duplicates.isEmpty {
            lines.append("")
            lines.append("Duplicates merged here (\(detail.duplicates.count)): "
                + detail.duplicates.map(\.lead.id.short).joined(separator: ", "))
            for duplicate in detail.duplicates {
                var row = "  \(duplicate.lead.id.short)  \(displayName(duplicate.lead))  "
                    + "merged \(Formatting.local(duplicate.mergedAt)) by \(duplicate.mergedBy)"
                if duplicate.lead.deleted { row += "  (deleted)" }
                lines.append(row)
                if duplicate.editedAfterMerge {
                    lines.append("    edited after the merge (updated \(Formatting.local(duplicate.lead.updatedAt))): "
                        + "review with 'leadsync show \(duplicate.lead.id.short)'")
                }
            }
        }
        lines.append("")
        lines.append(detail.timeline.isEmpty ? "No activities." : "Timeline (\(detail.timeline.count)):")
        let typeWidth = detail.timeline.map(\.type.count).max() ?? 0
        for activity in detail.timeline {
            let type = activity.type + String(repeating: " ", count: typeWidth - activity.type.count)
            var head = "  \(Formatting.local(millis: activity.time))  \(type)  \(activity.origin)"
            if activity.record != lead.id { head += "  (from duplicate \(activity.record.short))" }
            lines.append(head)
            if !activity.text.isEmpty {
                lines.append("      " + activity.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n      "))
            }
        }
        if !detail.stageHistory.isEmpty {
            lines.append("")
            lines.append("Stage history (\(detail.stageHistory.count)):")
            let table = TextTable(rows: detail.stageHistory.map { change in
                [Formatting.local(change.hlc), change.stage.rawValue, "by \(change.origin)"]
            })
            lines.append(table.render(indent: "  "))
        }
        lines.append("")
        lines.append("Consent:")
        let consentRows = ConsentChannel.allCases.map { channel -> [String] in
            guard let state = detail.consent[channel] else { return [channel.rawValue, "none recorded"] }
            let event = state.decidedBy
            return [channel.rawValue, state.status.description, "\"\(event.how)\"", Formatting.local(millis: event.at), "by \(event.by)"]
        }
        lines.append(TextTable(rows: consentRows).render(indent: "  "))
        if !detail.conflicts.isEmpty {
            lines.append("")
            lines.append("Open conflicts (\(detail.conflicts.count)):")
            for conflict in detail.conflicts { lines.append(contentsOf: conflictLines(conflict, showLead: false)) }
        }
        return lines.joined(separator: "\n")
    }

    /// A conflict as a few aligned lines: field, then winner and loser with writer and time.
    static func conflictLines(_ conflict: Conflict, showLead: Bool) -> [String] {
        let head = showLead ? "\(conflict.record.short)  \(conflict.field)" : conflict.field
        let table = TextTable(rows: [
            ["winner", quoted(conflict.winner.value), "by \(conflict.winner.origin)", "at \(Formatting.local(conflict.winner.hlc))"],
            ["loser", quoted(conflict.loser.value), "by \(conflict.loser.origin)", "at \(Formatting.local(conflict.loser.hlc))"],
        ])
        return ["  " + head, table.render(indent: "    ")]
    }

    static func quoted(_ value: String) -> String {
        value.isEmpty ? "(cleared)" : "\"\(value)\""
    }
}
