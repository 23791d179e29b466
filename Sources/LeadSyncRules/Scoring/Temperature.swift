/// How close a lead is to deciding, derived from its score and the thresholds.
///
/// `cold` below `warm`; `warm` from `warm` (inclusive) to `hot` (exclusive); `hot` from `hot` up.
public enum Temperature: String, Sendable, Hashable, CaseIterable, Comparable {
    case cold, warm, hot

    /// The temperature of `score` under `thresholds`.
    public init(score: Int, thresholds: Thresholds) {
        if score >= thresholds.hot {
            self = .hot
        } else if score >= thresholds.warm {
            self = .warm
        } else {
            self = .cold
        }
    }

    public static func < (lhs: Temperature, rhs: Temperature) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
