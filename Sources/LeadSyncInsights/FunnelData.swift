import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// The funnel report's input from a store.
public enum FunnelData {
    /// Every live lead (not deleted, not merged into another, not erased) with its stage history
    /// in HLC order, which is the same on every replica.
    public static func leads(in store: Store) throws(StoreError) -> [FunnelLead] {
        let histories = try store.stageHistories()
        return try store.leads(LeadFilter()).map { lead in
            FunnelLead(
                kind: lead[.kind], source: lead[.source], event: lead[.event], owner: lead[.owner],
                history: (histories[lead.id] ?? []).map {
                    StageEntry(stage: $0.stage.rawValue, at: $0.hlc.wallMillis, by: $0.origin.rawValue)
                })
        }
    }

    /// The funnel report of `store`'s leads.
    public static func report(
        in store: Store, by grouping: FunnelGrouping = .none, since: Int64? = nil
    ) throws(StoreError) -> FunnelReport {
        Funnel.report(try leads(in: store), by: grouping, since: since)
    }
}
