import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a duplicate into the lead to keep.",
        discussion: """
            In one step: KEEP takes every field it lacks from DUPLICATE (where both have a value, \
            KEEP's stays and the difference is printed), and DUPLICATE's tags; DUPLICATE is marked \
            as merged into KEEP. Nothing is deleted: DUPLICATE leaves 'leadsync list' (see \
            --merged), its activities and consent appear on KEEP, and a change made to it later \
            (e.g. by a rep who had not synced yet) is flagged by 'leadsync show KEEP' for review. \
            The merge replicates like any edit.

            Refused: a lead into itself, into a deleted, erased or merged lead (no chains), or a \
            duplicate already merged. Duplicates already merged into DUPLICATE move to KEEP. \
            'leadsync unmerge DUPLICATE' undoes a merge.

            Example:
              leadsync duplicates
              leadsync merge 3f2a 9e8d
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The lead to keep (id or unique prefix).")
    var keep: String

    @Argument(help: "The duplicate to merge into it (id or unique prefix).")
    var duplicate: String

    func run() throws {
        let (store, _) = try home.openReplica()
        let keepID = try store.resolve(keep)
        let duplicateID = try store.resolve(duplicate)
        let outcome = try store.mergeDuplicate(duplicateID, into: keepID)
        if output.json {
            try JSONOutput.print(MergeJSON(outcome))
            return
        }
        var lines = ["Merged \(duplicateID.short) into \(keepID.short) (\(Formatting.count(outcome.operations, "operation")))"]
        if !outcome.filledFields.isEmpty { lines.append("  filled from the duplicate: \(outcome.filledFields.joined(separator: ", "))") }
        if !outcome.addedTags.isEmpty { lines.append("  tags added: \(outcome.addedTags.joined(separator: ", "))") }
        for field in outcome.differingFields {
            lines.append("  kept \(field.field) \(LeadText.quoted(field.kept)) (the duplicate has \(LeadText.quoted(field.duplicate)))")
        }
        if !outcome.movedDuplicates.isEmpty {
            lines.append("  moved here, merged into \(duplicateID.short) before: \(outcome.movedDuplicates.map(\.short).joined(separator: ", "))")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// `merge --json`.
struct MergeJSON: Encodable {
    struct Differing: Encodable {
        let field: String
        let kept: String
        let duplicate: String
    }

    /// The kept lead.
    let id: String
    let duplicate: String
    let operations: Int
    let filledFields: [String]
    let addedTags: [String]
    let differingFields: [Differing]
    let movedDuplicates: [String]

    init(_ outcome: MergeOutcome) {
        id = outcome.keep.rawValue
        duplicate = outcome.duplicate.rawValue
        operations = outcome.operations
        filledFields = outcome.filledFields
        addedTags = outcome.addedTags
        differingFields = outcome.differingFields.map { Differing(field: $0.field, kept: $0.kept, duplicate: $0.duplicate) }
        movedDuplicates = outcome.movedDuplicates.map(\.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case id, duplicate, operations
        case filledFields = "filled_fields", addedTags = "added_tags", differingFields = "differing_fields"
        case movedDuplicates = "moved_duplicates"
    }
}
