import LeadSyncProtocol
import LeadSyncReplication

extension ReplicationError {
    /// The protocol error a batch the rules refused is answered with (the same codes as the
    /// SQLite hub's): delivery failures keep their codes, every other refusal is `invalid_op`.
    var hubProtocolError: ProtocolError {
        switch self {
        case .seqGap: ProtocolError(.seqGap, description)
        case .missingDependency: ProtocolError(.missingDependency, description)
        case .foreignOrigin: ProtocolError(.foreignOrigin, description)
        case .unknownRecord, .settingPushed, .settingNotByHub, .notASetting, .settingOutsideSettingsRecord, .leadExists, .erased:
            ProtocolError(.invalidOp, description)
        }
    }
}
