import LeadSyncCore

/// One recorded consent decision: for what, granted or refused/withdrawn, how, when, by whom.
public struct ConsentEvent: Sendable, Hashable {
    /// What the decision is for.
    public var channel: ConsentChannel
    /// True for a grant, false for a refusal or withdrawal.
    public var granted: Bool
    /// How it was given, e.g. `booth form, signature`, `double opt-in link`, `phone call`.
    public var how: String
    /// Whether this grant was confirmed by double opt-in (the confirmation link was clicked).
    /// Required for `newsletter` grants; ignored for other channels and for refusals.
    public var doubleOptIn: Bool
    /// When, in UTC milliseconds.
    public var at: Int64
    /// Who recorded it (node or actor id); breaks ties between events with the same `at`.
    public var by: String

    public init(channel: ConsentChannel, granted: Bool, how: String, doubleOptIn: Bool = false, at: Int64, by: String) {
        self.channel = channel
        self.granted = granted
        self.how = how
        self.doubleOptIn = doubleOptIn
        self.at = at
        self.by = by
    }
}

/// Where a channel's consent stands.
public enum ConsentStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Consented: the latest event granted it (for `newsletter`: with double opt-in).
    case granted
    /// Not consented: the latest event refused or withdrew it.
    case denied
    /// Not consented yet: the latest event is a `newsletter` grant without double opt-in.
    case pendingDoubleOptIn

    public var description: String {
        switch self {
        case .granted: "granted"
        case .denied: "denied"
        case .pendingDoubleOptIn: "pending double opt-in"
        }
    }
}

/// A channel's consent and the event that decided it (when, how, by whom: the record GDPR asks for).
public struct ConsentState: Sendable, Hashable {
    /// Granted, denied, or pending double opt-in.
    public let status: ConsentStatus
    /// The latest event of the channel, the one that decided ``status``.
    public let decidedBy: ConsentEvent

    /// Whether messages on this channel may be sent: only when ``status`` is `granted`.
    public var isConsented: Bool { status == .granted }
}
