import LeadSyncCore

/// How far ahead of the hub's own wall clock a pushed operation's `hlc` may be, in the manner of
/// CockroachDB's maximum clock offset. An operation stamped further ahead comes from a laptop
/// whose clock is wrong (or from a hostile node): accepted, it would drag every replica's hybrid
/// clock forward with it and win every concurrent edit until real time caught up. The hub refuses
/// the batch with `clock_ahead` instead.
///
/// Only the hub applies this rule, against its own clock. A replica pulling from the hub checks
/// absolute bounds only (``HLC/maxWallMillis``): its own clock may be years behind, and it must
/// still take every operation the hub accepted. Clocks behind are never refused anywhere.
public struct ClockPolicy: Sendable, Hashable {
    /// The largest distance, in milliseconds, by which an operation's wall time may lead the hub's.
    public var maxAheadMillis: Int64

    /// One hour: far more than any laptop synchronised with network time is off by, and a bound
    /// on how far one bad clock can move the fleet's timestamps.
    public static let defaultMaxAheadMillis: Int64 = 3_600_000

    public init(maxAheadMillis: Int64 = ClockPolicy.defaultMaxAheadMillis) {
        self.maxAheadMillis = maxAheadMillis
    }

    /// The error to refuse a batch with, or nil when every operation's clock is within bounds.
    /// - Parameter now: the hub's wall clock, Unix milliseconds.
    public func refusal(for ops: [Op], now: Int64) -> ProtocolError? {
        let limit = now.addingReportingOverflow(maxAheadMillis).overflow ? Int64.max : now + maxAheadMillis
        guard let op = ops.first(where: { $0.hlc.wallMillis > limit }) else { return nil }
        let ahead = Self.describe(millis: op.hlc.wallMillis - now)
        return ProtocolError(
            .clockAhead,
            "operation \(op.origin)#\(op.seq) is stamped \(ahead) ahead of the hub's clock, which accepts at most "
                + "\(Self.describe(millis: maxAheadMillis)): this laptop's clock is wrong. Set its date, time and time zone "
                + "automatically (network time), then sync again. Nothing of this batch was stored; edits made while the "
                + "clock was wrong are accepted once the hub's clock comes within \(Self.describe(millis: maxAheadMillis)) of them")
    }

    /// `2 h 5 min`, `45 s`, `3 days`: a duration a rep can compare with the laptop's clock.
    static func describe(millis: Int64) -> String {
        let seconds = max(0, millis / 1000)
        if seconds >= 2 * 86_400 { return "\(seconds / 86_400) days" }
        if seconds >= 3_600 { return "\(seconds / 3_600) h \(seconds % 3_600 / 60) min" }
        if seconds >= 60 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds) s"
    }
}
