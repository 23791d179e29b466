/// How a register chooses among concurrent writes. Causality always decides first (a write that
/// causally follows another supersedes it); a policy only picks among the writes left standing.
public enum MergePolicy: Sendable, Hashable {
    /// Contact fields: the higher `(hlc, origin)` wins; losers with a different value are conflicts.
    case lastWriterWins
    /// Lifecycle stage: the most advanced stage wins, then `(hlc, origin)`.
    case mostAdvancedStage
    /// Tags prefer membership (add wins); the deleted flag prefers "restored" (keep wins).
    case prefer(String)
}
