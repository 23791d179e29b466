import LeadSyncCore
/// Funnel reporting: which stages leads reached, per source, event or owner.
///
/// Definitions (every replica computes the same report from the same op log):
/// - **Counted leads**: kind `prospect` or `customer` (trimmed, case-insensitive), or no kind;
///   `partner`, `supplier`, `internal` and any other kind are left out. With `since`, only leads
///   whose first history entry is at or after `since` (leads with an empty history are then left
///   out, their creation being unknown).
/// - **Reached**: a lead reached a funnel stage S when any entry of its history is S or a later
///   funnel stage (`lead < mql < sal < sql < opportunity < customer`). Skipped stages count as
///   passed (a lead created at `sql` reached `lead`, `mql` and `sal` too), and a lead set back
///   keeps what it reached. Every counted lead reached `lead`, even with an empty history or one
///   holding only `disqualified`. Stage names are trimmed and compared case-insensitively;
///   entries with an unknown stage are ignored.
/// - **Disqualified**: counted leads whose latest history entry (with a known stage) is
///   `disqualified`. They still count as having reached the stages before it.
/// - **Conversion** from S to the next stage N: `reached(N) / reached(S)`; nil when `reached(S)` is 0.
/// - **Groups**: by the trimmed value of the grouping field, compared exactly; leads with no or a
///   blank value form the group with key nil.
public enum Funnel {
    /// The funnel report of `leads`.
    ///
    /// - Parameters:
    ///   - leads: The leads with their stage histories.
    ///   - grouping: What to break the report down by.
    ///   - since: UTC millis; when given, only leads created (first history entry) at or after it.
    public static func report(_ leads: [FunnelLead], by grouping: FunnelGrouping, since: Int64? = nil) -> FunnelReport {
        var tallies: [String?: Tally] = [:]
        var total = Tally()
        for lead in leads where counts(lead, since: since) {
            let key = groupKey(of: lead, by: grouping)
            tallies[key, default: Tally()].add(lead)
            total.add(lead)
        }
        let keys = tallies.keys.sorted { lhs, rhs in
            switch (lhs, rhs) {
            case let (l?, r?): l < r
            case (.some, nil): true
            default: false
            }
        }
        let totalGroup = total.group(key: nil)
        let groups = grouping == .none ? [totalGroup] : keys.map { tallies[$0]!.group(key: $0) }
        return FunnelReport(grouping: grouping, since: since, groups: groups, total: totalGroup)
    }

    private static func counts(_ lead: FunnelLead, since: Int64?) -> Bool {
        let kind = lead.kind?.trimmingWhitespace().caseFolded ?? ""
        guard kind.isEmpty || kind == "prospect" || kind == "customer" else { return false }
        guard let since else { return true }
        guard let created = lead.history.first else { return false }
        return created.at >= since
    }

    private static func groupKey(of lead: FunnelLead, by grouping: FunnelGrouping) -> String? {
        let value: String? = switch grouping {
        case .none: nil
        case .source: lead.source
        case .event: lead.event
        case .owner: lead.owner
        }
        guard let trimmed = value?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// Counts for one group while leads are added.
    private struct Tally {
        var reached = Array(repeating: 0, count: LifecycleStage.funnel.count)
        var disqualified = 0

        mutating func add(_ lead: FunnelLead) {
            let stages = lead.history.compactMap { LifecycleStage(rawValue: $0.stage.trimmingWhitespace().caseFolded) }
            let highest = stages.filter { $0 != .disqualified }.max() ?? .lead
            let highestIndex = LifecycleStage.funnel.firstIndex(of: highest)!
            for index in 0...highestIndex { reached[index] += 1 }
            if stages.last == .disqualified { disqualified += 1 }
        }

        func group(key: String?) -> FunnelGroup {
            let funnel = LifecycleStage.funnel
            let stages = zip(funnel, reached).map { StageCount(stage: $0, reached: $1) }
            let conversions = (0..<funnel.count - 1).map { index in
                Conversion(
                    from: funnel[index], to: funnel[index + 1],
                    rate: reached[index] == 0 ? nil : Double(reached[index + 1]) / Double(reached[index]))
            }
            return FunnelGroup(key: key, stages: stages, conversions: conversions, disqualified: disqualified)
        }
    }
}
