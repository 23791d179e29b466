import ArgumentParser
import LeadSyncCore
import LeadSyncInsights
import LeadSyncRules
import LeadSyncStore

struct QualifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qualify",
        abstract: "Move a lead to mql, or with --auto every lead whose score is ready for MQL.",
        discussion: """
            'qualify ID' moves one lead forward to mql (marketing qualified lead). 'qualify --auto' \
            promotes every lead still at stage lead whose score reaches the rules' mql threshold, \
            all in one transaction, and prints them; --dry-run only prints them.

            Example:
              leadsync qualify 3f2a
              leadsync qualify --auto --dry-run
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The lead's id or a unique prefix of it (not with --auto).")
    var id: String?

    @Flag(help: "Promote every lead at stage lead whose score reaches the mql threshold.")
    var auto = false

    @Flag(name: .customLong("dry-run"), help: "With --auto: show what would be promoted, write nothing.")
    var dryRun = false

    func validate() throws {
        if auto, id != nil { throw ValidationError("give either an ID or --auto, not both") }
        if !auto, id == nil { throw ValidationError("give the lead's ID, or --auto to promote every lead ready for MQL") }
        if dryRun, !auto { throw ValidationError("--dry-run goes with --auto") }
    }

    func run() throws {
        guard auto else {
            try StageMove(home: home, id: id ?? "", output: output).run(to: .mql, verb: "qualify")
            return
        }
        let (store, _) = try home.openReplica()
        let scorer = LeadScorer(rules: try ActiveRules.load(from: store))
        let candidates = try AutoQualify.candidates(in: store, scorer: scorer)
        let promoted = dryRun ? candidates : try AutoQualify.promote(candidates, in: store)
        if output.json {
            try JSONOutput.print(AutoQualifyJSON(
                dryRun: dryRun, threshold: scorer.rules.rules.thresholds.mql, rules: scorer.rules.sourceName,
                promoted: promoted.map { .init(id: $0.lead.id.rawValue, score: $0.score.total) }))
            return
        }
        if let warning = ScoreText.rulesWarning(scorer.rules) { print(warning) }
        let threshold = scorer.rules.rules.thresholds.mql
        if promoted.isEmpty {
            print("no lead at stage lead reaches the mql threshold (\(threshold))")
            return
        }
        var table = TextTable(header: ["ID", "NAME", "COMPANY", "SCORE"])
        for qualification in promoted {
            let lead = qualification.lead
            table.add([lead.id.short, LeadText.displayName(lead), lead[.company] ?? "", String(qualification.score.total)]
                .map { Formatting.truncate($0, to: 32) })
        }
        print(table.render(fitting: Formatting.terminalWidth()))
        let count = Formatting.count(promoted.count, "lead")
        print(dryRun ? "would promote \(count) to mql (score ≥ \(threshold)); nothing written" : "promoted \(count) to mql (score ≥ \(threshold))")
    }
}

/// `qualify --auto --json`.
struct AutoQualifyJSON: Encodable {
    struct Promoted: Encodable {
        let id: String
        let score: Int
    }

    let dryRun: Bool
    let threshold: Int
    let rules: String
    let promoted: [Promoted]

    enum CodingKeys: String, CodingKey {
        case threshold, rules, promoted
        case dryRun = "dry_run"
    }
}
