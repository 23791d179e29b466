import LeadSyncCore

/// What the replication rules read and write, whatever stores it: the SQLite replica or hub, the
/// PostgreSQL hub (through ``MemoryReplicationState``, loaded with the rows a batch touches), or a
/// test's reference. ``Replicator/apply(_:body:localCreate:to:)`` decides; a conformance only
/// stores what it is told, and never re-checks a rule.
public protocol ReplicationState {
    // Reads.
    /// The last seq applied contiguously from `actor` (0 for an actor never heard of).
    func appliedSeq(of actor: ActorID) -> UInt64
    /// The full vector clock of `actor`'s last applied operation (empty for none).
    func clock(of actor: ActorID) -> VectorClock
    /// The lead's state, nil when it was never created (nor tombstoned) here.
    mutating func presence(of record: RecordID) throws -> LeadPresence?
    /// The standing versions of one register of a lead (or of the settings record).
    mutating func versions(of key: RegisterKey, in record: RecordID) throws -> [Version]

    // Writes.
    /// A new lead row for a create (its writes follow as ``store(_:in:)`` calls).
    mutating func insertLead(_ op: Op) throws
    /// A register after a merge: its standing versions, projected winner and conflict.
    mutating func store(_ merge: ReplicationRules.RegisterMerge, in record: RecordID) throws
    /// Notes that an operation with `hlc` changed the lead (its last-updated stamp).
    mutating func stamp(_ record: RecordID, hlc: HLC) throws
    /// An append-only event of the op's lead: an activity, a consent or a stage change.
    mutating func recordEvent(_ op: Op) throws
    /// A lead first heard of through a redacted placeholder: an erased tombstone.
    mutating func insertTombstone(_ op: Op) throws
    /// GDPR erasure: drop the lead's content (registers, conflicts, events), keep a tombstone,
    /// and redact its logged operations (see ``ReplicationRules/redactsOnErasure(_:)``).
    mutating func erase(_ record: RecordID) throws
    /// Appends an applied operation to the op log, as ``ReplicationRules/logged(_:kept:)`` made
    /// it; `body` is its text as received, nil to encode it.
    mutating func append(_ op: Op, body: String?) throws
    /// The origin's progress after applying `op`: its seq and full clock.
    mutating func advance(_ actor: ActorID, seq: UInt64, clock: VectorClock, hlc: HLC) throws
}
