import LeadSyncCore
import LeadSyncReplication

/// Why the store refused a request. Remote-apply cases map one to one onto protocol error codes.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notInitialized(path: String)
    case alreadyInitialized(node: String)
    case unknownLead(String)
    case ambiguousPrefix(String, candidates: [String])
    case invalidInput(String)
    case seqGap(origin: String, expected: UInt64, got: UInt64)
    case missingDependency(origin: String, seq: UInt64, needs: String, needsSeq: UInt64)
    case unknownRecord(origin: String, seq: UInt64, record: String)
    case foreignOrigin(String)
    case corrupt(String)
    case database(String)
    /// The disk holding the database is full: the transaction was rolled back, nothing of it written.
    case diskFull

    public var description: String {
        switch self {
        case .notInitialized(let path):
            "no replica at \(path): run 'leadsync init --node NAME' first (or pass --home)"
        case .alreadyInitialized(let node):
            "this home already holds a replica (node '\(node)')"
        case .unknownLead(let id):
            "no lead with id '\(id)'"
        case .ambiguousPrefix(let prefix, let candidates):
            "id prefix '\(prefix)' is ambiguous: matches \(candidates.joined(separator: ", "))"
        case .invalidInput(let message):
            message
        case .seqGap(let origin, let expected, let got):
            "operation \(origin)#\(got) arrived before \(origin)#\(expected)"
        case .missingDependency(let origin, let seq, let needs, let needsSeq):
            "operation \(origin)#\(seq) depends on \(needs)#\(needsSeq), which has not been applied"
        case .unknownRecord(let origin, let seq, let record):
            "operation \(origin)#\(seq) changes lead \(record), which was never created"
        case .foreignOrigin(let origin):
            "operation from actor '\(origin)' is not allowed here"
        case .corrupt(let message):
            "the replica database is damaged: \(message)"
        case .database(let message):
            "database error: \(message)"
        case .diskFull:
            "the disk holding this replica is full: nothing of this change was written (what was saved before "
                + "is intact); free some disk space and run the command again"
        }
    }
}

extension LeadError {
    var storeError: StoreError { .invalidInput(description) }
}

extension ReplicationError {
    /// The store's error for a refusal by the replication rules: the delivery cases keep their
    /// own cases (each maps onto a protocol error code), the others are invalid input.
    var storeError: StoreError {
        switch self {
        case .seqGap(let origin, let expected, let got):
            .seqGap(origin: origin.rawValue, expected: expected, got: got)
        case .missingDependency(let origin, let seq, let needs, let needsSeq):
            .missingDependency(origin: origin.rawValue, seq: seq, needs: needs.rawValue, needsSeq: needsSeq)
        case .unknownRecord(let origin, let seq, let record):
            .unknownRecord(origin: origin.rawValue, seq: seq, record: record.rawValue)
        case .foreignOrigin(let origin):
            .foreignOrigin(origin.rawValue)
        case .erased(let record):
            .erased(record)
        case .settingPushed, .settingNotByHub, .notASetting, .settingOutsideSettingsRecord, .leadExists:
            .invalidInput(description)
        }
    }
}
