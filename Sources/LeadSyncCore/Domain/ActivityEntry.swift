/// What happened between a rep and a lead; behaviour that scoring rules count.
public enum ActivityType: String, Sendable, CaseIterable, Codable {
    case boothVisit = "booth_visit", conversation, call, emailSent = "email_sent", emailOpened = "email_opened"
    case download, webinar, demoRequest = "demo_request", quoteRequest = "quote_request", meeting, note
}

/// An append-only activity on a lead. Activities never conflict: every replica shows them all,
/// ordered by HLC.
public struct ActivityEntry: Sendable, Hashable {
    public let type: ActivityType
    public let text: String
    /// When it happened (UTC milliseconds), when that is not when it was logged.
    public let at: Int64?

    public init(type: ActivityType, text: String, at: Int64? = nil) {
        self.type = type
        self.text = text
        self.at = at
    }
}

/// A communication channel a lead can consent to.
public enum ConsentChannel: String, Sendable, CaseIterable, Codable, Comparable {
    case email, phone, newsletter

    public static func < (lhs: ConsentChannel, rhs: ConsentChannel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A consent given or withdrawn, recorded with how it was obtained (GDPR: explicit, traceable).
/// Current consent is derived from these events; they are never edited.
public struct ConsentEntry: Sendable, Hashable {
    public let channel: ConsentChannel
    public let granted: Bool
    /// How it was obtained or withdrawn, e.g. "booth form signed", "unsubscribe link".
    public let how: String
    public let doubleOptIn: Bool
    /// When it was given (UTC milliseconds), when that is not when it was recorded.
    public let at: Int64?

    public init(channel: ConsentChannel, granted: Bool, how: String, doubleOptIn: Bool = false, at: Int64? = nil) {
        self.channel = channel
        self.granted = granted
        self.how = how
        self.doubleOptIn = doubleOptIn
        self.at = at
    }
}
