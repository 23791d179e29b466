import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncInsights
import LeadSyncRules
import LeadSyncStore

/// `leadsync report …`: reports over the leads of a replica or, on a hub's home, of everyone.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over the leads: the funnel.",
        subcommands: [FunnelCommand.self])
}

struct FunnelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: "How many leads reached each lifecycle stage, and the conversion between stages.",
        discussion: """
            Counts prospects and customers (and leads without a kind); partners, suppliers and \
            internal contacts are left out, as are deleted and merged leads. A lead reached a stage \
            when its stage history holds it or a later stage (skipped stages count as passed; a lead \
            set back keeps what it reached). Conversion is reached(next) / reached(stage). \
            Disqualified: leads whose latest stage is disqualified. On a replica the report covers \
            its data; on a hub's home (--home HUB) every replica's.

            Example:
              leadsync report funnel --by source --since 2026-03-01
              leadsync report funnel --home /srv/leadsync-hub --json
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Break down by source, event or owner.", valueName: "field"))
    var by: String?

    @Option(help: ArgumentHelp("Only leads captured on or after this UTC day.", valueName: "YYYY-MM-DD"))
    var since: String?

    func run() throws {
        let grouping = try by.map(Self.grouping) ?? FunnelGrouping.none
        let sinceMillis = try since.map(Self.day)
        let store = try home.openForReading().store
        let report = try FunnelData.report(in: store, by: grouping, since: sinceMillis)
        if output.json {
            try JSONOutput.print(FunnelJSON(report, since: since))
            return
        }
        let scope = (since.map { "captured since \($0)" } ?? "all time")
        let title = grouping == .none ? "Funnel (\(scope))" : "Funnel by \(grouping.rawValue) (\(scope))"
        print(title)
        if grouping != .none {
            for group in report.groups {
                print("")
                print("\(grouping.rawValue) \(group.key.map { "'\($0)'" } ?? "(none)"): \(Formatting.count(group.reached(.lead), "lead"))")
                print(Self.table(group))
            }
            print("")
            print("all: \(Formatting.count(report.total.reached(.lead), "lead"))")
        } else {
            print(Formatting.count(report.total.reached(.lead), "lead"))
        }
        print(Self.table(report.total))
        print("partner, supplier and internal contacts, deleted and merged leads are not counted")
    }

    static func table(_ group: FunnelGroup) -> String {
        var table = TextTable(header: ["STAGE", "REACHED", "TO NEXT"])
        for (index, count) in group.stages.enumerated() {
            let rate = index < group.conversions.count ? percent(group.conversions[index].rate) : ""
            table.add([count.stage.rawValue, String(count.reached), rate])
        }
        table.add(["disqualified", String(group.disqualified), ""])
        return table.render(indent: "  ")
    }

    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "-" }
        return String(format: "%.1f%%", rate * 100)
    }

    static func grouping(_ raw: String) throws -> FunnelGrouping {
        guard let grouping = FunnelGrouping(rawValue: raw.lowercased()), grouping != .none else {
            throw LeadError.invalidValue(field: "by", value: raw, allowed: ["source", "event", "owner"])
        }
        return grouping
    }

    /// `YYYY-MM-DD` as the UTC milliseconds of that day's start.
    static func day(_ raw: String) throws -> Int64 {
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw CLIError("invalid --since '\(raw)': expected a date like 2026-03-01 (YYYY-MM-DD)") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw CLIError("invalid --since '\(raw)': no such day")
        }
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}

/// `report funnel --json` (Docs/cli-json.md).
struct FunnelJSON: Encodable {
    struct Stage: Encodable {
        let stage: String
        let reached: Int
    }

    struct Step: Encodable {
        let from: String
        let to: String
        let rate: Double?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(rate, forKey: .rate)
        }

        enum CodingKeys: String, CodingKey { case from, to, rate }
    }

    struct Group: Encodable {
        let key: String?
        let leads: Int
        let stages: [Stage]
        let conversions: [Step]
        let disqualified: Int

        init(_ group: FunnelGroup) {
            key = group.key
            leads = group.reached(.lead)
            stages = group.stages.map { Stage(stage: $0.stage.rawValue, reached: $0.reached) }
            conversions = group.conversions.map { Step(from: $0.from.rawValue, to: $0.to.rawValue, rate: $0.rate) }
            disqualified = group.disqualified
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(leads, forKey: .leads)
            try container.encode(stages, forKey: .stages)
            try container.encode(conversions, forKey: .conversions)
            try container.encode(disqualified, forKey: .disqualified)
        }

        enum CodingKeys: String, CodingKey { case key, leads, stages, conversions, disqualified }
    }

    let by: String
    let since: String?
    let groups: [Group]
    let total: Group

    init(_ report: FunnelReport, since: String?) {
        by = report.grouping.rawValue
        self.since = since
        groups = report.groups.map(Group.init)
        total = Group(report.total)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(by, forKey: .by)
        try container.encode(since, forKey: .since)
        try container.encode(groups, forKey: .groups)
        try container.encode(total, forKey: .total)
    }

    enum CodingKeys: String, CodingKey { case by, since, groups, total }
}
