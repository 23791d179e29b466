import LeadSyncCore

/// A lead as every replica materialises it from the operations it has applied.
public struct Lead: Sendable, Hashable {
    public let id: RecordID
    /// Current field values (standard and `x_` custom), empty values omitted.
    public var fields: [String: String]
    public var stage: LifecycleStage
    public var tags: [String]
    public var deleted: Bool
    /// When and by whom the lead was captured.
    public var createdAt: HLC
    public var createdBy: ActorID
    /// The newest operation applied to the lead.
    public var updatedAt: HLC

    public subscript(field: LeadField) -> String? { fields[field.rawValue] }
}

/// An append-only note or activity on a lead, ordered by its HLC.
public struct Activity: Sendable, Hashable {
    public let record: RecordID
    public let origin: ActorID
    public let seq: UInt64
    public let hlc: HLC
    public let type: String
    public let text: String
}

/// A concurrent write that lost a contact field, kept with the write that beat it.
public struct Conflict: Sendable, Hashable {
    public let record: RecordID
    public let field: String
    public let winner: Version
    public let loser: Version
}
