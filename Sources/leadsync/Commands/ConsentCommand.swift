import ArgumentParser
import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Record a consent given or withdrawn, with how it was obtained.",
        usage: """
            leadsync consent <id> --channel <channel> (--granted | --withdrawn) --how <text> \
            [--double-opt-in] [--at <time>] [--json]
            """,
        discussion: """
            Consent events are never edited: each is recorded with when, how and by whom (the \
            replica's actor). Per channel (email, phone, newsletter) the latest event decides; a \
            newsletter grant counts only once confirmed by double opt-in (--double-opt-in), until \
            then it is pending. 'leadsync show' prints the current consent, and \
            'leadsync list --consented CHANNEL' lists the leads that may be contacted.

            --at says when it was given or withdrawn, if not now: ISO-8601 or 'YYYY-MM-DD HH:MM', \
            local time (the timezone setting, else $TZ) unless an offset is given.

            Example:
              leadsync consent 3f2a --channel email --granted --how "booth form, signed"
              leadsync consent 3f2a --channel newsletter --granted --double-opt-in --how "confirmation link"
              leadsync consent 3f2a --channel phone --withdrawn --how "asked on the phone"
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("email, phone or newsletter (required).", valueName: "channel"))
    var channel: String?

    @Flag(help: "Consent was given.")
    var granted = false

    @Flag(help: "Consent was refused or withdrawn.")
    var withdrawn = false

    @Option(help: ArgumentHelp("How it was given or withdrawn (required), e.g. \"booth form, signed\".", valueName: "text"))
    var how: String?

    @Flag(name: .customLong("double-opt-in"), help: "The grant was confirmed by double opt-in (needed for the newsletter).")
    var doubleOptIn = false

    @Option(help: ArgumentHelp("When it was given or withdrawn (default: now).", valueName: "time"))
    var at: String?

    func run() throws {
        guard let channel else { throw CLIError("--channel is required: email, phone or newsletter") }
        let consentChannel = try InputParsing.channel(channel)
        guard granted != withdrawn else {
            throw CLIError(granted ? "give --granted or --withdrawn, not both" : "say whether consent was given: --granted or --withdrawn")
        }
        guard let how else {
            throw CLIError("--how is required: say how consent was given or withdrawn, e.g. --how \"booth form, signed\"")
        }
        if doubleOptIn && withdrawn { throw CLIError("--double-opt-in applies to --granted only") }
        let (store, record, _) = try leadID.openReplica()
        let time = try at.map(InputParsing.time)
        let entry = try LeadValidator.consent(channel: consentChannel, granted: granted, how: how, doubleOptIn: doubleOptIn, at: time)
        try store.commit(.consent(entry), to: record)
        let current = CurrentConsent.of(try store.consentEvents(for: record))[consentChannel]
        if output.json {
            try JSONOutput.print(ConsentEditJSON(
                id: record.rawValue, operations: 1, channel: consentChannel.rawValue,
                status: current?.status.jsonName ?? "none", consented: current?.isConsented ?? false))
        } else {
            let status = current.map(\.status.description) ?? "none recorded"
            var line = "Recorded \(consentChannel.rawValue) consent \(granted ? "granted" : "withdrawn") for \(record.short); "
                + "current \(consentChannel.rawValue) consent: \(status)"
            if current?.status == .pendingDoubleOptIn {
                line += " (record the confirmation with --granted --double-opt-in)"
            }
            print(line)
        }
    }
}

/// `consent --json`: the edit, and the channel's current consent after it.
struct ConsentEditJSON: Encodable {
    let id: String
    let operations: Int
    let channel: String
    /// `granted`, `denied` or `pending_double_opt_in`.
    let status: String
    let consented: Bool
}
