import LeadSyncCore

/// Why the replication rules refused an operation. Every backend reports these with the same
/// words: the SQLite store maps them onto ``StoreError`` cases, the hub onto protocol error codes.
/// Nothing of the refused operation (or of its batch) is stored.
public enum ReplicationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The origin's operations must arrive in seq order without holes.
    case seqGap(origin: ActorID, expected: UInt64, got: UInt64)
    /// The operation follows one that has not been applied yet.
    case missingDependency(origin: ActorID, seq: UInt64, needs: ActorID, needsSeq: UInt64)
    /// The operation changes (or merges into) a lead whose create was never applied.
    case unknownRecord(origin: ActorID, seq: UInt64, record: RecordID)
    /// The pushing peer may not send operations of this actor.
    case foreignOrigin(ActorID)
    /// A replica pushed a replicated setting to the hub: only the hub writes settings.
    case settingPushed(origin: ActorID, seq: UInt64)
    /// A settings-record operation made by a node other than the hub.
    case settingNotByHub(origin: ActorID, seq: UInt64)
    /// Something other than a setting written to the settings record.
    case notASetting(origin: ActorID, seq: UInt64)
    /// A setting written to a lead instead of the settings record.
    case settingOutsideSettingsRecord(origin: ActorID, seq: UInt64)
    /// A local create for an id that exists already.
    case leadExists(RecordID)
    /// A local change to an erased lead.
    case erased(RecordID)

    public var description: String {
        switch self {
        case .seqGap(let origin, let expected, let got):
            "operation \(origin)#\(got) arrived before \(origin)#\(expected)"
        case .missingDependency(let origin, let seq, let needs, let needsSeq):
            "operation \(origin)#\(seq) depends on \(needs)#\(needsSeq), which has not been applied"
        case .unknownRecord(let origin, let seq, let record):
            "operation \(origin)#\(seq) changes lead \(record), which was never created"
        case .foreignOrigin(let origin):
            "operation from actor '\(origin)' is not allowed here"
        case .settingPushed(let origin, let seq):
            "operation \(origin)#\(seq) writes a replicated setting: only the hub writes settings ('leadsync hub rules set')"
        case .settingNotByHub(let origin, let seq):
            "operation \(origin)#\(seq): only the hub may write settings, not node '\(origin.node)'"
        case .notASetting(let origin, let seq):
            "operation \(origin)#\(seq): only settings may be written to the settings record"
        case .settingOutsideSettingsRecord(let origin, let seq):
            "operation \(origin)#\(seq): settings may only be written to the settings record"
        case .leadExists(let record):
            "lead \(record) already exists"
        case .erased(let record):
            "lead \(record) was erased (GDPR); it cannot be changed"
        }
    }
}
