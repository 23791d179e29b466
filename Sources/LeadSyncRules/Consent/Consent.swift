import LeadSyncCore
/// Derives the current consent per channel from the recorded consent events.
///
/// Rules:
/// - Per channel, the latest event decides: the one with the greatest `at`; on equal `at`, the
///   greater `by` (`String` order). Exact ties (same `at` and `by`) go to a refusal over a grant,
///   then to a double-opt-in grant over one without, then to the greater `how`, so the result
///   never depends on the order of `events`.
/// - A `newsletter` grant without `doubleOptIn` is recorded but reported as
///   `pendingDoubleOptIn`, not consented. The confirmation is a later grant event with
///   `doubleOptIn: true`. A later newsletter grant without double opt-in also makes the channel
///   pending again, since the latest event decides.
/// - `email` and `phone` grants need no double opt-in.
/// - A channel without events is absent from the result: nobody asked, so no consent.
public enum Consent {
    /// The current consent per channel that has at least one event.
    public static func current(_ events: [ConsentEvent]) -> [ConsentChannel: ConsentState] {
        var latest: [ConsentChannel: ConsentEvent] = [:]
        for event in events {
            if let current = latest[event.channel], !isLater(event, than: current) { continue }
            latest[event.channel] = event
        }
        return latest.mapValues { event in
            let status: ConsentStatus = if !event.granted {
                .denied
            } else if event.channel == .newsletter, !event.doubleOptIn {
                .pendingDoubleOptIn
            } else {
                .granted
            }
            return ConsentState(status: status, decidedBy: event)
        }
    }

    /// The total order "which event decides": at, by, refusal over grant, double opt-in, how.
    static func isLater(_ a: ConsentEvent, than b: ConsentEvent) -> Bool {
        if a.at != b.at { return a.at > b.at }
        if a.by != b.by { return a.by > b.by }
        if a.granted != b.granted { return !a.granted }
        if a.doubleOptIn != b.doubleOptIn { return a.doubleOptIn }
        return a.how > b.how
    }
}
