import LeadSyncProtocol

extension StoreError {
    /// The protocol error a refused remote batch is answered with, by a hub or by a replica
    /// refusing what it pulled.
    public var protocolError: ProtocolError {
        switch self {
        case .seqGap: ProtocolError(.seqGap, description)
        case .missingDependency: ProtocolError(.missingDependency, description)
        case .foreignOrigin: ProtocolError(.foreignOrigin, description)
        case .unknownRecord, .invalidInput, .unknownLead: ProtocolError(.invalidOp, description)
        case .notInitialized, .alreadyInitialized, .ambiguousPrefix, .corrupt, .database, .diskFull:
            ProtocolError(.internal, "the receiver could not store the batch; retry later")
        }
    }
}
