import LeadSyncCore

/// A lead as every replica materialises it from the operations it has applied.
public struct Lead: Sendable, Hashable {
    public let id: RecordID
    /// Current field values (standard and `x_` custom), empty values omitted.
    public var fields: [String: String]
    public var stage: LifecycleStage
    public var tags: [String]
    public var deleted: Bool
    /// The lead this one is shown under as a merged duplicate: where its chain of merges ends
    /// (see ``MergeRoots``), nil for a lead that stands on its own.
    public var mergedInto: RecordID?
    /// A GDPR tombstone: the personal data is gone everywhere.
    public var erased: Bool
    /// When and by whom the lead was captured.
    public var createdAt: HLC
    public var createdBy: ActorID
    /// The newest operation applied to the lead.
    public var updatedAt: HLC

    public subscript(field: LeadField) -> String? { fields[field.rawValue] }
}

/// An append-only note or activity on a lead, ordered by its HLC.
public struct Activity: Sendable, Hashable {
    /// The lead it was logged on (a duplicate merged into the shown lead keeps its own id).
    public let record: RecordID
    public let origin: ActorID
    public let seq: UInt64
    public let hlc: HLC
    public let type: String
    public let text: String
    /// When it happened, if given; else when it was logged (`hlc`).
    public let at: Int64?

    /// When it happened, in UTC milliseconds.
    public var time: Int64 { at ?? hlc.wallMillis }
}

/// A recorded consent event.
public struct ConsentEvent: Sendable, Hashable {
    public let record: RecordID
    public let origin: ActorID
    public let hlc: HLC
    public let entry: ConsentEntry

    /// When consent was given or withdrawn, in UTC milliseconds.
    public var time: Int64 { entry.at ?? hlc.wallMillis }
}

/// One write of a lead's lifecycle stage: the stage history.
public struct StageChange: Sendable, Hashable {
    public let stage: LifecycleStage
    public let hlc: HLC
    public let origin: ActorID
}

/// A concurrent write that lost a contact field, kept with the write that beat it.
public struct Conflict: Sendable, Hashable {
    public let record: RecordID
    public let field: String
    public let winner: Version
    public let loser: Version
}

/// A duplicate merged into another lead, with the merge that decided it.
public struct MergedDuplicate: Sendable, Hashable {
    public let lead: Lead
    /// When the (winning) merge was made, and by whom.
    public let mergedAt: HLC
    public let mergedBy: ActorID

    /// Whether the duplicate was changed after its merge (or concurrently with it, on a replica
    /// that had not seen the merge yet): such edits stay on the duplicate, for a human to review.
    public var editedAfterMerge: Bool { lead.updatedAt > mergedAt }
}
