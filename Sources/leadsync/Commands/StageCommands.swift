import ArgumentParser
import LeadSyncCore
import LeadSyncStore

/// The lifecycle verbs' shared work: move one lead to a stage, in one transaction with an
/// optional note, and report it.
struct StageMove {
    let home: HomeOptions
    /// The lead's id or a unique prefix of it.
    let id: String
    let output: OutputOptions

    init(_ leadID: LeadArgument, output: OutputOptions) {
        self.init(home: leadID.home, id: leadID.id, output: output)
    }

    init(home: HomeOptions, id: String, output: OutputOptions) {
        self.home = home
        self.id = id
        self.output = output
    }

    /// Moves the lead to `target`.
    ///
    /// - Parameters:
    ///   - verb: The named verb (`qualify`, `accept`, …), which only moves forward by the stage
    ///     merge order; nil for `stage`, which sets any stage (deliberately setting a lead back).
    ///   - note: Text recorded as a note in the same transaction (the disqualification reason).
    func run(to target: LifecycleStage, verb: String?, note: String? = nil) throws {
        let (store, _) = try home.openReplica()
        let record = try store.resolve(id)
        guard let lead = try store.lead(record), !lead.erased else { throw StoreError.unknownLead(id) }
        let previous = lead.stage
        if let verb, target < previous {
            throw CLIError("""
                lead \(record.short) is at '\(previous.rawValue)', past '\(target.rawValue)': '\(verb)' only moves \
                a lead forward; to set it back deliberately use 'leadsync stage \(record.short) \(target.rawValue)'
                """)
        }
        var operations = 0
        if previous != target {
            var changes: [Change] = [.stage(target)]
            if let note { changes.append(.note(note)) }
            operations = try store.commit(changes, to: record).count
        }
        if output.json {
            try JSONOutput.print(StageJSON(id: record.rawValue, stage: target.rawValue, previous: previous.rawValue, operations: operations))
        } else if operations == 0 {
            print("\(record.short) is already at \(target.rawValue); nothing changed")
        } else {
            print("\(record.short): \(previous.rawValue) → \(target.rawValue)" + (note == nil ? "" : " (reason noted)"))
        }
    }
}

/// What the stage verbs print with `--json`.
struct StageJSON: Encodable {
    let id: String
    let stage: String
    let previous: String
    let operations: Int
}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Set a lead's lifecycle stage (any stage, also backwards).",
        discussion: """
            Stages: \(LifecycleStage.allCases.map(\.rawValue).joined(separator: ", ")). The verbs qualify \
            (mql), accept (sal), disqualify (with a reason) and convert (customer) only move forward; \
            'stage' sets any stage, e.g. to reopen a disqualified lead. When replicas change a stage \
            concurrently, the most advanced stage wins everywhere (see Docs/lead-management.md).

            Example:
              leadsync stage 3f2a sql
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The new stage.", valueName: "stage"))
    var stage: String

    func run() throws {
        let target = try InputParsing.stage(stage)
        try StageMove(leadID, output: output).run(to: target, verb: nil)
    }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Sales accepts a lead: move it to sal (sales accepted lead).")

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    func run() throws {
        try StageMove(leadID, output: output).run(to: .sal, verb: "accept")
    }
}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "The lead bought: move it to customer.")

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    func run() throws {
        try StageMove(leadID, output: output).run(to: .customer, verb: "convert")
    }
}

struct DisqualifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disqualify",
        abstract: "Take a lead out of the funnel, saying why.",
        discussion: """
            Moves the lead to disqualified and records the reason as a note on its timeline, in one \
            transaction. A customer cannot be disqualified with this verb.

            Example:
              leadsync disqualify 3f2a --reason "student, no budget"
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Why the lead is out (required; recorded as a note).", valueName: "text"))
    var reason: String?

    func run() throws {
        guard let reason, !reason.allSatisfy(\.isWhitespace) else {
            throw CLIError("disqualify needs --reason TEXT: say why the lead is out (it is recorded as a note)")
        }
        let note = try LeadValidator.note(reason)
        try StageMove(leadID, output: output).run(to: .disqualified, verb: "disqualify", note: note)
    }
}
