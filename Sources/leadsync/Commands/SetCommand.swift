import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change fields of a lead.",
        discussion: """
            Each FIELD=VALUE sets a standard field (\(LeadField.allCases.map(\.rawValue).joined(separator: ", "))) \
            or a custom x_ field; FIELD= (empty) clears it. lifecycle_stage=STAGE moves the lead \
            in the funnel. All assignments are checked first and written together; on any error \
            nothing is written. Tags are not fields: use 'leadsync tag' and 'leadsync untag'. \
            ID may be a unique prefix of the lead's id.

            Example:
              leadsync set 3f2a city=Hamburg job_title="Head of IT" \\
                phone= lifecycle_stage=mql
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Field assignments.", valueName: "field=value"))
    var assignments: [String]

    func run() throws {
        var parsed = try assignments.map(InputParsing.assignment)
        _ = try Store.editChanges(parsed)
        let (store, record, _) = try leadID.openReplica()
        let typedCountry = parsed.last { $0.field == LeadField.country.rawValue }?.value
        let country = try typedCountry ?? store.lead(record)?.fields["country"]
        let region = try InputParsing.phoneRegion(country: country, store: store)
        parsed = try parsed.map { FieldAssignment(field: $0.field, value: try InputParsing.typed($0.value, field: $0.field, region: region)) }
        let ops = try store.edit(record, parsed)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: ops.count))
        } else {
            print("Updated \(record.short): \(parsed.map(\.field).joined(separator: ", "))")
        }
    }
}
