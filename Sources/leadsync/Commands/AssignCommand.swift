import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a lead an owner: a rep's node name or an email address.",
        discussion: """
            OWNER is a node name (1-64 of a-z, 0-9, '.', '_', '-'; 'me' is this replica's node) or \
            an email address. New leads without an owner get one from the rules' 'route' lines; \
            'assign' changes it by hand. To clear the owner: 'leadsync set ID owner='.

            Example:
              leadsync assign 3f2a ben
              leadsync assign 3f2a team-sued@example.com
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The new owner.", valueName: "owner"))
    var owner: String

    func run() throws {
        if owner != ListScoring.me {
            guard !owner.allSatisfy(\.isWhitespace) else { throw LeadError.invalidOwner(owner) }
            _ = try InputParsing.value(owner, for: .owner)
        }
        let (store, record, identity) = try leadID.openReplica()
        let value = try owner == ListScoring.me ? identity.node.rawValue : InputParsing.value(owner, for: .owner)
        guard let lead = try store.lead(record), !lead.erased else { throw StoreError.unknownLead(leadID.id) }
        var operations = 0
        if lead[.owner] != value {
            try store.commit(.set([.standard(.owner): value]), to: record)
            operations = 1
        }
        if output.json {
            try JSONOutput.print(AssignJSON(id: record.rawValue, owner: value, previous: lead[.owner], operations: operations))
        } else if operations == 0 {
            print("\(record.short) is already owned by \(value); nothing changed")
        } else {
            print("\(record.short): owner \(lead[.owner] ?? "(none)") → \(value)")
        }
    }
}

/// `assign --json`.
struct AssignJSON: Encodable {
    let id: String
    let owner: String
    let previous: String?
    let operations: Int

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(owner, forKey: .owner)
        try container.encode(previous, forKey: .previous)
        try container.encode(operations, forKey: .operations)
    }

    enum CodingKeys: String, CodingKey { case id, owner, previous, operations }
}
