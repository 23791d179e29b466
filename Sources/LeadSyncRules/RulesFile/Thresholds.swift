/// The score thresholds of a rules file.
///
/// A score below `warm` is cold, from `warm` up to below `hot` is warm, `hot` and above is hot;
/// a score at or above `mql` makes the lead ready for MQL. `warm < hot` always holds.
public struct Thresholds: Sendable, Hashable {
    /// The lowest warm score.
    public let warm: Int
    /// The lowest hot score; above `warm`.
    public let hot: Int
    /// The lowest score that makes a lead ready for MQL.
    public let mql: Int

    /// Used for every threshold a rules file does not set: warm 30, hot 60, mql 50.
    public static let defaults = Thresholds(warm: 30, hot: 60, mql: 50)

    init(warm: Int, hot: Int, mql: Int) {
        self.warm = warm
        self.hot = hot
        self.mql = mql
    }
}
