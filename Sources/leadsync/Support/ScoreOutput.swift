import LeadSyncCore
import LeadSyncInsights
import LeadSyncRules
import LeadSyncStore

/// `score --json`: a lead's score, temperature and the explanation (Docs/cli-json.md).
struct ScoreJSON: Encodable {
    struct Line: Encodable {
        let line: Int
        let text: String
        let points: Int
        let count: Int
        let engagement: Bool
    }

    struct RulesInfo: Encodable {
        let source: String
        let error: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(source, forKey: .source)
            try container.encode(error, forKey: .error)
        }

        enum CodingKeys: String, CodingKey { case source, error }
    }

    let id: String
    let score: Int
    let temperature: String
    let readyForMQL: Bool
    let fit: Int
    let engagement: Int
    let thresholds: [String: Int]
    let day: String
    let rules: RulesInfo
    let lines: [Line]

    init(_ lead: Lead, _ report: ScoreReport, scorer: LeadScorer) {
        id = lead.id.rawValue
        score = report.total
        temperature = report.temperature.rawValue
        readyForMQL = report.readyForMQL
        fit = report.fit
        engagement = report.engagement
        let thresholds = scorer.rules.rules.thresholds
        self.thresholds = ["warm": thresholds.warm, "hot": thresholds.hot, "mql": thresholds.mql]
        day = ScoreText.day(scorer.now)
        var error: String?
        if case .unusable(let failure) = scorer.rules.source { error = failure.description }
        rules = RulesInfo(source: scorer.rules.sourceName, error: error)
        lines = report.lines.map {
            Line(line: $0.line, text: $0.text, points: $0.points, count: $0.count, engagement: $0.isEngagement)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, score, temperature, fit, engagement, thresholds, day, rules, lines
        case readyForMQL = "ready_for_mql"
    }
}

/// A lead as `list --json` prints it: the lead object plus its `score` and `temperature`.
struct ScoredLeadJSON: Encodable {
    let lead: LeadJSON
    let score: Int
    let temperature: String

    func encode(to encoder: any Encoder) throws {
        try lead.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(score, forKey: .score)
        try container.encode(temperature, forKey: .temperature)
    }

    enum CodingKeys: String, CodingKey { case score, temperature }
}

/// Text renderings of scores.
enum ScoreText {
    /// `2026-05-14`: the UTC day of a start-of-day time.
    static func day(_ millis: Int64) -> String {
        String(Formatting.iso8601(millis: millis).prefix(10))
    }

    /// `70 (hot), ready for MQL`.
    static func headline(_ report: ScoreReport) -> String {
        "\(report.total) (\(report.temperature.rawValue))" + (report.readyForMQL ? ", ready for MQL" : "")
    }

    /// Points with a sign: `+10`, `-5`, `0`.
    static func signed(_ points: Int) -> String {
        points > 0 ? "+\(points)" : "\(points)"
    }

    /// The explanation: one row per matching rule line, then the total.
    static func explanation(_ report: ScoreReport, scorer: LeadScorer) -> String {
        var table = TextTable(header: ["LINE", "POINTS", "RULE"])
        for line in report.lines {
            table.add([String(line.line), signed(line.points), line.text + (line.count > 1 ? "  (×\(line.count))" : "")])
        }
        table.add(["total", String(report.total), "fit \(report.fit), engagement \(report.engagement)"])
        let thresholds = scorer.rules.rules.thresholds
        return [
            report.lines.isEmpty ? "  no rule matched" : nil,
            table.render(indent: "  "),
            "thresholds: warm \(thresholds.warm), hot \(thresholds.hot), mql \(thresholds.mql); "
                + "scored for \(day(scorer.now)) (UTC) with \(scorer.rules.summary)",
        ].compactMap { $0 }.joined(separator: "\n")
    }

    /// A note for text output when the replicated rules do not parse here, else nil.
    static func rulesWarning(_ rules: ActiveRules) -> String? {
        guard case .unusable = rules.source else { return nil }
        return "note: scored with \(rules.summary)"
    }
}
