import LeadSyncRules
import Testing
import LeadSyncCore

@Suite("Funnel")
struct FunnelTests {
    static let base: Int64 = 1_767_225_600_000  // 2026-01-01 00:00 UTC

    /// A history whose entries are one hour apart, starting on day `day` after `base`.
    static func history(day: Int64, _ stages: String...) -> [StageEntry] {
        stages.enumerated().map { index, stage in
            StageEntry(stage: stage, at: base + day * Fixtures.day + Int64(index) * 3_600_000, by: "anna")
        }
    }

    /// Ten leads with hand-picked histories; the expected numbers below are computed by hand.
    static let fixture: [FunnelLead] = [
        // 1: the whole way.
        FunnelLead(kind: "prospect", source: "badge_scan", event: "Hannover Messe 2026", owner: "anna",
                   history: history(day: 1, "lead", "mql", "sal", "sql", "opportunity", "customer")),
        // 2: disqualified after mql.
        FunnelLead(kind: "prospect", source: "badge_scan", owner: "ben",
                   history: history(day: 2, "lead", "mql", "disqualified")),
        // 3: no kind, created at sql (skipped lead, mql, sal: counted as passed).
        FunnelLead(source: "badge_scan", owner: "anna", history: history(day: 3, "sql")),
        // 4: a customer set back from sal to mql keeps what it reached.
        FunnelLead(kind: "customer", source: "badge_scan", history: history(day: 4, "lead", "mql", "sal", "mql")),
        // 5: a partner: never counted.
        FunnelLead(kind: "partner", source: "badge_scan", owner: "anna", history: history(day: 5, "lead", "customer")),
        // 6: still a lead.
        FunnelLead(kind: "prospect", source: "form", owner: "ben", history: history(day: 6, "lead")),
        // 7: reached sql, then disqualified.
        FunnelLead(kind: "prospect", source: "form", owner: "ben",
                   history: history(day: 7, "lead", "mql", "sal", "sql", "disqualified")),
        // 8: kind with odd case and blanks still counts.
        FunnelLead(kind: " Prospect ", source: "form", history: history(day: 8, "lead", "mql")),
        // 9: no source; jumped to opportunity.
        FunnelLead(kind: "prospect", source: "  ", owner: "anna", history: history(day: 9, "lead", "opportunity")),
        // 10: disqualified at once.
        FunnelLead(kind: "prospect", source: "webinar", history: history(day: 10, "disqualified")),
    ]

    func counts(_ group: FunnelGroup) -> [Int] { group.stages.map(\.reached) }

    @Test func bySourceHandComputed() throws {
        let report = Funnel.report(Self.fixture, by: .source)
        #expect(report.groups.map(\.key) == ["badge_scan", "form", "webinar", nil])
        #expect(report.groups.map { $0.stages.map(\.stage) }.allSatisfy { $0 == LifecycleStage.funnel })

        let badge = report.groups[0]
        #expect(counts(badge) == [4, 4, 3, 2, 1, 1])
        #expect(badge.disqualified == 1)
        #expect(badge.conversions.map(\.rate) == [1.0, 0.75, 2.0 / 3.0, 0.5, 1.0])
        #expect(badge.conversions.map(\.from) == [.lead, .mql, .sal, .sql, .opportunity])
        #expect(badge.conversions.map(\.to) == [.mql, .sal, .sql, .opportunity, .customer])

        let form = report.groups[1]
        #expect(counts(form) == [3, 2, 1, 1, 0, 0])
        #expect(form.disqualified == 1)
        #expect(form.conversions.map(\.rate) == [2.0 / 3.0, 0.5, 1.0, 0.0, nil])

        let webinar = report.groups[2]
        #expect(counts(webinar) == [1, 0, 0, 0, 0, 0])
        #expect(webinar.disqualified == 1)
        #expect(webinar.conversions.map(\.rate) == [0.0, nil, nil, nil, nil])

        let none = report.groups[3]
        #expect(counts(none) == [1, 1, 1, 1, 1, 0])
        #expect(none.disqualified == 0)
        #expect(none.conversion(from: .sql) == 1.0)
        #expect(none.conversion(from: .opportunity) == 0.0)

        #expect(counts(report.total) == [9, 7, 5, 4, 2, 1])
        #expect(report.total.disqualified == 3)
        #expect(report.total.conversions.map(\.rate) == [7.0 / 9.0, 5.0 / 7.0, 0.8, 0.5, 0.5])
        #expect(report.total.reached(.sal) == 5)
        #expect(report.total.reached(.disqualified) == 0)
        #expect(report.total.conversion(from: .customer) == nil)
    }

    @Test func byOwnerAndEvent() {
        let byOwner = Funnel.report(Self.fixture, by: .owner)
        #expect(byOwner.groups.map(\.key) == ["anna", "ben", nil])
        #expect(byOwner.groups.map { $0.reached(.lead) } == [3, 3, 3])
        #expect(byOwner.groups.map { $0.reached(.sql) } == [3, 1, 0])
        let byEvent = Funnel.report(Self.fixture, by: .event)
        #expect(byEvent.groups.map(\.key) == ["Hannover Messe 2026", nil])
        #expect(byEvent.groups.map { $0.reached(.customer) } == [1, 0])
    }

    @Test func noGroupingIsOneGroupEqualToTheTotal() {
        let report = Funnel.report(Self.fixture, by: .none)
        #expect(report.groups == [report.total])
        #expect(report.total.key == nil)
        #expect(counts(report.total) == [9, 7, 5, 4, 2, 1])
        let empty = Funnel.report([], by: .none)
        #expect(counts(empty.total) == [0, 0, 0, 0, 0, 0])
        #expect(empty.total.conversions.allSatisfy { $0.rate == nil })
        #expect(Funnel.report([], by: .source).groups.isEmpty)
    }

    @Test func partnersSuppliersAndInternalsAreExcluded() {
        let kinds = ["partner", "supplier", "internal", "INTERNAL", "competitor", "prospect", "customer", "", nil]
        let leads = kinds.map { FunnelLead(kind: $0, history: Self.history(day: 1, "lead", "sql")) }
        let report = Funnel.report(leads, by: .none)
        #expect(report.total.reached(.lead) == 4)
        #expect(report.total.reached(.sql) == 4)
    }

    @Test func sinceCountsLeadsCreatedAtOrAfterIt() {
        let since = Self.base + 6 * Fixtures.day  // exactly lead 6's creation
        let report = Funnel.report(Self.fixture, by: .none, since: since)
        #expect(report.since == since)
        #expect(counts(report.total) == [5, 3, 2, 2, 1, 0])
        #expect(report.total.disqualified == 2)
        let later = Funnel.report(Self.fixture, by: .none, since: since + 1)
        #expect(later.total.reached(.lead) == 4)
    }

    @Test func emptyHistoriesAndUnknownStages() {
        let leads = [
            FunnelLead(kind: "prospect", history: []),
            FunnelLead(kind: "prospect", history: Self.history(day: 1, "lead", "won", "SQL ", "nurture")),
        ]
        let all = Funnel.report(leads, by: .none)
        #expect(counts(all.total) == [2, 1, 1, 1, 0, 0])
        // With `since`, a lead without history has no known creation and is left out.
        let since = Funnel.report(leads, by: .none, since: Self.base)
        #expect(since.total.reached(.lead) == 1)
    }
}
