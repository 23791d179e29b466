import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// A lead whose score reaches the `mql` threshold while it is still at stage `lead`.
public struct Qualification: Sendable, Hashable {
    public let lead: Lead
    public let score: ScoreReport
}

/// `qualify --auto`: promote every lead at `lead` whose score makes it ready for MQL.
public enum AutoQualify {
    /// The live leads at stage `lead` whose score reaches the rules' `mql` threshold, highest
    /// score first (then by capture order).
    public static func candidates(in store: Store, scorer: LeadScorer) throws(StoreError) -> [Qualification] {
        var filter = LeadFilter()
        filter.stage = .lead
        let leads = try store.leads(filter)
        let scores = try scorer.scores(leads, in: store)
        return leads.compactMap { lead in
            guard let score = scores[lead.id], score.readyForMQL else { return nil }
            return Qualification(lead: lead, score: score)
        }
        .enumerated().sorted { ($0.element.score.total, -$0.offset) > ($1.element.score.total, -$1.offset) }.map(\.element)
    }

    /// Moves `candidates` to `mql` in ONE transaction: all or none. A lead that left stage `lead`
    /// in the meantime is skipped.
    ///
    /// - Returns: The leads promoted.
    @discardableResult
    public static func promote(_ candidates: [Qualification], in store: Store) throws(StoreError) -> [Qualification] {
        guard !candidates.isEmpty else { return [] }
        return try store.editing { editor in
            var promoted: [Qualification] = []
            for candidate in candidates where try editor.lead(candidate.lead.id)?.stage == .lead {
                try editor.commit(.stage(.mql), to: candidate.lead.id)
                promoted.append(candidate)
            }
            return promoted
        }
    }
}
