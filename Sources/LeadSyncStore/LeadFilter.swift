import LeadSyncCore

/// Which leads `list` shows, and in which order.
public struct LeadFilter: Sendable, Hashable {
    public enum Sort: String, Sendable, CaseIterable {
        case created, updated, name, company, stage
    }

    public var stage: LifecycleStage?
    public var kind: LeadKind?
    public var source: LeadSource?
    public var event: String?
    public var owner: String?
    /// The stored country (an ISO 3166-1 alpha-2 code for imported and typed countries), ignoring case.
    public var country: String?
    public var tag: String?
    /// Case-insensitive substring over names, email, company, job title, city and notes-free fields.
    public var text: String?
    /// Show duplicates that were merged into another lead.
    public var includeMerged = false
    public var includeDeleted = false
    public var onlyDeleted = false
    public var sort: Sort = .created
    public var descending = false
    public var limit: Int?

    public init() {}
}
