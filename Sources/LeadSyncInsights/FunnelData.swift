import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// The funnel report's input from a store.
public enum FunnelData {
    /// Every live lead (not deleted, not merged into another, not erased) with its stage history
    /// in HLC order, which is the same on every replica.
    public static func leads(in store: Store) throws(StoreError) -> [FunnelLead] {
        let histories = try store.stageHistories()
        return try store.fieldValues([.kind, .source, .event, .owner]).map { lead in
            FunnelLead(
                kind: lead.values[0], source: lead.values[1], event: lead.values[2], owner: lead.values[3],
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
