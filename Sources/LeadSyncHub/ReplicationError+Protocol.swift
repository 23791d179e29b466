import LeadSyncProtocol
import LeadSyncReplication

extension ReplicationError {
    /// The protocol error a batch the replication rules refused is answered with.
    public var protocolError: ProtocolError {
        switch self {
        case .seqGap: ProtocolError(.seqGap, description)
        case .missingDependency: ProtocolError(.missingDependency, description)
        case .foreignOrigin: ProtocolError(.foreignOrigin, description)
        case .unknownRecord, .settingPushed, .settingNotByHub, .notASetting, .settingOutsideSettingsRecord, .leadExists, .erased:
            ProtocolError(.invalidOp, description)
        }
    }
}
