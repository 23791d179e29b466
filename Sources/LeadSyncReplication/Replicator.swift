import LeadSyncCore

/// Runs the ``ReplicationRules`` for one operation over any ``ReplicationState``: the one
/// implementation of what applying an operation means. Generic and inlinable, so each backend
/// gets a specialised copy.
public enum Replicator {
    /// Applies one operation in causal order, or skips it as a duplicate. Throws a
    /// ``ReplicationError`` when the rules refuse it (the caller rolls back its batch), or the
    /// state's own error. `localCreate`: the op is a local create, whose record must not exist.
    @inlinable
    @discardableResult
    public static func apply(
        _ op: Op, body: String? = nil, localCreate: Bool = false, to state: inout some ReplicationState
    ) throws -> ReplicationRules.Delivery {
        let delivery = try ReplicationRules.delivery(of: op, appliedSeq: state.appliedSeq(of: op.origin)) {
            state.appliedSeq(of: $0)
        }
        guard delivery == .next else { return .duplicate }
        let clock = op.fullClock(previous: state.clock(of: op.origin))
        let kept: Bool
        switch try ReplicationRules.target(of: op) {
        case .settings:
            try mergeWrites(op, in: .settings, clock: clock, state: &state)
            kept = true
        case .lead:
            kept = try applyToLead(op, clock: clock, localCreate: localCreate, state: &state)
        }
        try state.append(ReplicationRules.logged(op, kept: kept), body: kept ? body : nil)
        try state.advance(op.origin, seq: op.seq, clock: clock, hlc: op.hlc)
        return .next
    }

    /// Returns whether the operation is kept (logged as it came) rather than redacted.
    @inlinable
    static func applyToLead(_ op: Op, clock: VectorClock, localCreate: Bool, state: inout some ReplicationState) throws -> Bool {
        let presence = try state.presence(of: op.record)
        if case .create = op.change {
            guard let presence else {
                try state.insertLead(op)
                try mergeWrites(op, in: op.record, clock: clock, state: &state)
                try state.recordEvent(op)
                return true
            }
            try ReplicationRules.createOfExisting(op, erased: presence == .erased, local: localCreate)
        }
        switch try ReplicationRules.disposition(of: op, presence: presence) {
        case .tombstone:
            try state.insertTombstone(op)
            return true
        case .dropped(let keptAsIs):
            return keptAsIs
        case .change(let erases):
            if let target = ReplicationRules.mergeTarget(of: op), try state.presence(of: target) == nil {
                throw ReplicationRules.unknownMergeTarget(op, target)
            }
            try state.stamp(op.record, hlc: op.hlc)
            try mergeWrites(op, in: op.record, clock: clock, state: &state)
            try state.recordEvent(op)
            if erases { try state.erase(op.record) }
            return true
        }
    }

    @inlinable
    static func mergeWrites(_ op: Op, in record: RecordID, clock: VectorClock, state: inout some ReplicationState) throws {
        for write in op.change.writes {
            let version = Version(origin: op.origin, seq: op.seq, hlc: op.hlc, value: write.value)
            let standing = try state.versions(of: write.key, in: record)
            try state.store(ReplicationRules.merge(version, into: standing, clock: clock, key: write.key), in: record)
        }
    }
}
