/// An operation: one change to one lead, stamped so every replica can order it: `(origin, seq)` identifies it,
/// `deps` carries its creator's vector clock compactly and `hlc` orders it among concurrent writes.
///
/// `deps` holds only the entries of the creator's clock that changed since the origin's previous
/// operation (`seq - 1`), without the origin's own entry. A receiver, which by causal delivery has
/// applied `seq - 1` already, rebuilds the full clock with ``fullClock(previous:)``.
public struct Op: Sendable, Hashable {
    public let origin: ActorID
    public let seq: UInt64
    public let deps: VectorClock
    public let hlc: HLC
    public let record: RecordID
    public let change: Change

    public init(origin: ActorID, seq: UInt64, deps: VectorClock, hlc: HLC, record: RecordID, change: Change) {
        self.origin = origin
        self.seq = seq
        self.deps = deps
        self.hlc = hlc
        self.record = record
        self.change = change
    }

    /// The creator's full vector clock at creation, including this operation itself, given the full
    /// clock of the origin's previous operation.
    public func fullClock(previous: VectorClock) -> VectorClock {
        var clock = previous.merging(deps)
        clock[origin] = seq
        return clock
    }

    /// The largest `seq`, and `deps` entry, an operation may carry: 2^53 - 1, which every JSON
    /// parser reads exactly (an IEEE double holds every integer up to it). Receivers refuse larger
    /// ones with `invalid_op`; a replica would need a million edits a day for 24 billion years to get there.
    public static let maxSeq: UInt64 = (1 << 53) - 1

    /// What is wrong with `deps` for an operation of `origin`, or nil: they never name the origin
    /// itself (its previous operation is implied) and hold seqs up to ``maxSeq``.
    public static func depsProblem(_ deps: VectorClock, origin: ActorID) -> String? {
        if deps[origin] != 0 { return "deps name the operation's own origin '\(origin)'" }
        if let entry = deps.entries.first(where: { $0.value > maxSeq }) {
            return "deps entry '\(entry.key)' is \(entry.value), above the largest seq 2^53 - 1"
        }
        return nil
    }

    /// Whether this operation causally follows the write `(origin, seq)`, given its full clock.
    public static func follows(_ clock: VectorClock, origin: ActorID, seq: UInt64) -> Bool {
        clock.covers(origin: origin, seq: seq)
    }
}

extension Op {
    /// This operation with its content removed (GDPR erasure): only its identity, causal stamps
    /// and record stay, so the op log keeps every origin's sequence without gaps.
    public var redacted: Op {
        Op(origin: origin, seq: seq, deps: deps, hlc: hlc, record: record, change: .redacted)
    }
}
