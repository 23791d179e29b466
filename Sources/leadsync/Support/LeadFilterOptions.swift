import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncStore

/// The filters, order and limit shared by `list` and `export`.
struct LeadFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this lifecycle stage.", valueName: "stage")) var stage: String?
    @Option(help: ArgumentHelp("Only this kind of contact.", valueName: "kind")) var kind: String?
    @Option(help: ArgumentHelp("Only this source.", valueName: "source")) var source: String?
    @Option(help: ArgumentHelp("Only this event (ignoring case).", valueName: "event")) var event: String?
    @Option(help: ArgumentHelp("Only leads of this owner ('me': this replica's node).", valueName: "owner")) var owner: String?
    @Option(help: ArgumentHelp("Only leads with this tag.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Only leads in this country (a name or ISO code: DE, Germany, Deutschland).", valueName: "country"))
    var country: String?
    @Option(help: ArgumentHelp(
        "Only leads containing this text in a name, company, email, city, other field or note; case and umlauts ignored (Müller = MULLER = Mueller).",
        valueName: "text"))
    var search: String?
    @Option(help: ArgumentHelp("Order by \(LeadFilter.Sort.allCases.map(\.rawValue).joined(separator: ", ")), score (highest first; list only).", valueName: "key"))
    var sort: String = LeadFilter.Sort.created.rawValue
    @Flag(help: "Reverse the order.") var desc = false
    @Option(help: ArgumentHelp("At most this many leads.", valueName: "n")) var limit: Int?
    @Flag(help: "Include deleted leads.") var deleted = false
    @Flag(name: .customLong("only-deleted"), help: "Only deleted leads.") var onlyDeleted = false

    /// Whether deleted leads can appear (the table then gets a DELETED column).
    var showsDeleted: Bool { deleted || onlyDeleted }

    func makeFilter() throws -> LeadFilter {
        guard limit.map({ $0 >= 0 }) ?? true else { throw CLIError("invalid limit '\(limit ?? 0)': use 0 or more") }
        var filter = LeadFilter()
        filter.stage = try stage.map(InputParsing.stage)
        filter.kind = try kind.map(InputParsing.kind)
        filter.source = try source.map(InputParsing.source)
        filter.event = try event.map { try InputParsing.value($0, for: .event) }
        filter.owner = try owner.map { try InputParsing.value($0, for: .owner) }
        filter.tag = try tag.map { try LeadValidator.tag($0) }
        filter.country = country.map { LeadValidator.countryCode($0) ?? $0.trimmingCharacters(in: .whitespaces) }
        filter.text = search
        filter.sort = try ListScoring.storeSort(sort)
        filter.descending = desc
        filter.limit = limit
        filter.includeDeleted = deleted
        filter.onlyDeleted = onlyDeleted
        return filter
    }
}
