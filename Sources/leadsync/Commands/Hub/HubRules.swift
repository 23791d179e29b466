import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncInsights
import LeadSyncRules

/// `leadsync hub rules …`: the scoring and routing rules every replica uses.
struct HubRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Set or show the scoring and routing rules the hub replicates to every replica.",
        discussion: """
            The rules file format is in Docs/lead-management.md. 'set' checks the whole file first; \
            on any error nothing is written. The hub replicates the file verbatim; replicas use it \
            from their next sync on (also while 'hub serve' is running).
            """,
        subcommands: [HubRulesSet.self, HubRulesShow.self])
}

struct HubRulesSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Check a rules file and make it the rules of every replica.",
        discussion: """
            Example:
              leadsync hub rules set rules.txt --home /srv/leadsync-hub
            """)

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The rules file ('-' for standard input).", valueName: "file"))
    var file: String

    func run() async throws {
        let text = try Self.read(file)
        let name = file == "-" ? "stdin" : file
        let (rules, changed) = try await withHub(try home.location) { hub in
            // Check the file before touching the hub's database; the hub writes it as its own
            // settings operation, which replicas receive.
            let rules: Rules
            do { rules = try RulesPublisher.check(text, name: name) } catch { throw CLIError("\(error)") }
            return (rules, try await hub.publishSetting(name: ActiveRules.settingName, value: text) != nil)
        }
        if output.json {
            try JSONOutput.print(RulesSetJSON(
                changed: changed, points: rules.pointsRuleCount, routes: rules.routeCount,
                thresholds: ["warm": rules.thresholds.warm, "hot": rules.thresholds.hot, "mql": rules.thresholds.mql]))
            return
        }
        let summary = "\(Formatting.count(rules.pointsRuleCount, "points rule")), \(Formatting.count(rules.routeCount, "route")), "
            + "thresholds warm \(rules.thresholds.warm), hot \(rules.thresholds.hot), mql \(rules.thresholds.mql)"
        if changed {
            print("rules set from \(name): \(summary); replicas get them on their next sync")
        } else {
            print("the hub already has exactly these rules (\(summary)); nothing written")
        }
    }

    static func read(_ file: String) throws -> String {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("cannot read rules file \(file): \((error as NSError).localizedDescription)")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("rules file \(file) is not UTF-8 text")
        }
        return text
    }
}

struct HubRulesShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the rules file the hub replicates (the built-in rules when none was set).")

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let text = try await withHub(try home.location) { try await $0.replicatedSetting(ActiveRules.settingName) }
        if output.json {
            try JSONOutput.print(RulesShowJSON(source: text == nil ? "built_in" : "hub", text: text ?? Rules.default.text))
            return
        }
        if let text {
            print(text, terminator: text.hasSuffix("\n") || text.isEmpty ? "" : "\n")
        } else {
            print("# No rules set on this hub: replicas use these built-in rules.")
            print("# Save this as a file, edit it, and run 'leadsync hub rules set FILE'.")
            print(Rules.default.text, terminator: "")
        }
    }
}

/// `hub rules set --json`.
struct RulesSetJSON: Encodable {
    let changed: Bool
    let points: Int
    let routes: Int
    let thresholds: [String: Int]
}

/// `hub rules show --json`.
struct RulesShowJSON: Encodable {
    let source: String
    let text: String
}
