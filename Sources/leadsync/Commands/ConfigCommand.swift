import ArgumentParser
import Foundation
import LeadSyncStore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or change this replica's settings: hub, token, certificate pin, defaults.",
        discussion: """
            Settings: \(ReplicaSetting.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).

            Give an existing replica its hub or a new token (e.g. after 'leadsync hub add-node NAME \
            --reissue') without losing anything. 'config set token -' reads the token from standard \
            input, so it stays out of the shell history; 'config' never prints a token in full.

            Examples:
              leadsync config
              leadsync config set hub 10.0.0.5:7420
              leadsync config set token -          # paste the token, press Enter
              leadsync config set event "Hannover Messe 2026"
              leadsync config set timezone Europe/Berlin
              leadsync config unset event
            """,
        subcommands: [ConfigShow.self, ConfigSet.self, ConfigUnset.self],
        defaultSubcommand: ConfigShow.self)
}

struct ConfigShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print every setting (a token masked); --json: each key, null when not set.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, _) = try home.openReplica()
        var values: [String: String?] = [:]
        for setting in ReplicaSetting.allCases {
            values.updateValue(try store.setting(setting.rawValue).map(setting.display), forKey: setting.rawValue)
        }
        if output.json {
            try JSONOutput.print(values)
            return
        }
        var table = TextTable(header: ["KEY", "VALUE"])
        for setting in ReplicaSetting.allCases {
            table.add([setting.rawValue, (values[setting.rawValue] ?? nil) ?? "(not set)"])
        }
        print(table.render())
    }
}

struct ConfigSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change one setting; the value is checked first, nothing is written when it is refused.",
        discussion: """
            A value starting with '-' is taken as the value, not as an option. VALUE '-' reads the \
            value's first line from standard input (use it for the token).
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The setting: \(ReplicaSetting.names).", valueName: "key"))
    var key: String

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The new value; '-' reads standard input.", valueName: "value"))
    var value: [String] = []

    func run() throws {
        let setting = try ReplicaSetting(name: key)
        guard value.count == 1, let raw = value.first else {
            throw CLIError(value.isEmpty
                ? "give the new value: leadsync config set \(setting.rawValue) VALUE ('-' reads standard input)"
                : "give one value (quote it if it holds spaces): got \(value.count)")
        }
        let text = raw == "-" ? try Self.readLine(for: setting) : raw
        let stored = try setting.validate(text)
        let (store, _) = try home.openReplica()
        try store.setSetting(setting.rawValue, to: stored)
        if output.json {
            try JSONOutput.print(["key": setting.rawValue, "value": setting.display(stored)])
        } else {
            print("\(setting.rawValue) set to \(setting.display(stored))")
        }
    }

    /// The first line of standard input; prompts when it is a terminal.
    static func readLine(for setting: ReplicaSetting) throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            Terminal.printError("Paste the \(setting.rawValue) and press Enter:")
        }
        guard let line = Swift.readLine(strippingNewline: true),
              !line.trimmingCharacters(in: .whitespaces).isEmpty
        else {
            throw CLIError("no \(setting.rawValue) on standard input: nothing was changed", status: .dataError)
        }
        return line
    }
}

struct ConfigUnset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unset", abstract: "Remove one setting (the default applies again).")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The setting: \(ReplicaSetting.names).", valueName: "key"))
    var key: String

    func run() throws {
        let setting = try ReplicaSetting(name: key)
        let (store, _) = try home.openReplica()
        try store.setSetting(setting.rawValue, to: nil)
        if output.json {
            try JSONOutput.print(["key": setting.rawValue, "value": String?.none])
        } else {
            print("\(setting.rawValue) unset")
        }
    }
}
