import ArgumentParser
import LeadSyncCore
import LeadSyncInsights
import LeadSyncRules
import LeadSyncStore

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Show a lead's score and temperature, and with --explain which rules gave them.",
        discussion: """
            The score is computed from the lead's fields, tags and activities with the rules the \
            hub set ('leadsync hub rules set'; the built-in rules until they arrive), for the \
            current UTC day: every replica and the hub compute the same score from the same data. \
            --explain lists each matching rule with its line in the rules file and the points it \
            gave; the lines sum to the score. Works on a hub's home too.

            Example:
              leadsync score 3f2a --explain
              leadsync score 3f2a --json | jq .score
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Flag(help: "List the rule lines that gave points (always included with --json).")
    var explain = false

    func run() throws {
        let (store, record) = try leadID.openForReading()
        guard let lead = try store.lead(record), !lead.erased else { throw StoreError.unknownLead(leadID.id) }
        let scorer = LeadScorer(rules: try ActiveRules.load(from: store))
        let report = try scorer.score(lead, in: store)
        if output.json {
            try JSONOutput.print(ScoreJSON(lead, report, scorer: scorer))
            return
        }
        let name = LeadText.displayName(lead)
        print("\(lead.id.short)  \(name.isEmpty ? "" : name + ": ")\(ScoreText.headline(report))")
        if explain {
            print(ScoreText.explanation(report, scorer: scorer))
        } else if let warning = ScoreText.rulesWarning(scorer.rules) {
            print(warning)
        }
    }
}
