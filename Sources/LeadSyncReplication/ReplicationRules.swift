import LeadSyncCore

/// What an operation means, decided without knowing how it is stored: the delivery checks, which
/// record it targets, what happens to a lead that is missing or erased, and (in
/// `ReplicationRules+Registers.swift`) how a register merges a write. Each backend asks these
/// functions and stores what they answer; ``Replicator`` runs them over a ``ReplicationState``.
///
/// They are `@inlinable` and small: the SQLite store calls them from its hot loop, and across a
/// module boundary only inlinable code is specialised and inlined.
public enum ReplicationRules {
    /// Whether an operation is new to the receiver.
    public enum Delivery: Sendable, Equatable {
        /// The origin's next operation, all of whose dependencies are applied: apply it.
        case next
        /// Applied before: skip it (a replayed or re-sent batch), never apply twice.
        case duplicate
    }

    /// Which record an operation writes.
    public enum Target: Sendable, Equatable {
        /// The replicated settings (``RecordID/settings``), written by the hub alone.
        case settings
        case lead
    }

    /// What a lead operation does, given the lead's state at the receiver.
    public enum Disposition: Sendable, Equatable {
        /// The lead is live: merge the writes and events; `erases` when it erases the lead.
        case change(erases: Bool)
        /// The lead is unknown and the op is a redacted placeholder, possibly its erased create:
        /// store a tombstone so that later operations for the lead are dropped.
        case tombstone
        /// The lead was erased: the op changes nothing; `keptAsIs` says whether it is logged as it
        /// came (an erase or a placeholder) or redacted.
        case dropped(keptAsIs: Bool)
    }

    /// Causal delivery: the origin's next seq, with every dependency applied. `applied` answers
    /// the last contiguous seq applied from an actor; `appliedSeq` is the origin's.
    @inlinable
    public static func delivery(
        of op: Op, appliedSeq: UInt64, applied: (ActorID) -> UInt64
    ) throws(ReplicationError) -> Delivery {
        if op.seq <= appliedSeq { return .duplicate }
        guard op.seq == appliedSeq + 1 else {
            throw .seqGap(origin: op.origin, expected: appliedSeq + 1, got: op.seq)
        }
        for (dependency, needed) in op.deps.entries where dependency != op.origin {
            guard applied(dependency) >= needed else {
                throw .missingDependency(origin: op.origin, seq: op.seq, needs: dependency, needsSeq: needed)
            }
        }
        return .next
    }

    /// The peer sending a batch may send only operations its `accept` rule allows (a replica
    /// pushing to a hub: its own node's actors).
    @inlinable
    public static func checkOrigin(of op: Op, accept: (ActorID) -> Bool) throws(ReplicationError) {
        guard accept(op.origin) else { throw .foreignOrigin(op.origin) }
    }

    /// A replica's push to a hub never carries settings: the hub writes them
    /// (`leadsync hub rules set`) and replicas only receive them. Checked for the whole batch
    /// before anything of it is applied.
    public static func checkPush(_ ops: [Op]) throws(ReplicationError) {
        if let op = ops.first(where: { $0.record == .settings || $0.change.action == "setting" }) {
            throw .settingPushed(origin: op.origin, seq: op.seq)
        }
    }

    /// The operations of a node's push that it may send: its own actors'.
    public static func pushedBy(_ node: NodeID) -> (ActorID) -> Bool {
        { $0.node == node }
    }

    /// Which record an operation writes; settings go to the settings record only, and only the
    /// hub writes them (every store enforces it, whoever forwarded the operation).
    @inlinable
    public static func target(of op: Op) throws(ReplicationError) -> Target {
        if op.record == .settings {
            guard case .setting = op.change else { throw .notASetting(origin: op.origin, seq: op.seq) }
            guard op.origin.node == .hub else { throw .settingNotByHub(origin: op.origin, seq: op.seq) }
            return .settings
        }
        if case .setting = op.change { throw .settingOutsideSettingsRecord(origin: op.origin, seq: op.seq) }
        return .lead
    }

    /// A create for a record that exists: a local create is refused (its id is taken); a remote
    /// one goes on as writes to the lead (see ``disposition(of:presence:)``).
    @inlinable
    public static func createOfExisting(_ op: Op, erased: Bool, local: Bool) throws(ReplicationError) {
        guard local else { return }
        throw erased ? .erased(op.record) : .leadExists(op.record)
    }

    /// What an operation on an existing (or missing) lead does.
    @inlinable
    public static func disposition(of op: Op, presence: LeadPresence?) throws(ReplicationError) -> Disposition {
        let erasing = op.change == .erase || op.change == .redacted
        switch presence {
        case nil:
            // A redacted op exists only because its lead was erased somewhere: it may be the
            // lead's create. Every other op, an erase too, follows the create it changes.
            guard op.change == .redacted else {
                throw .unknownRecord(origin: op.origin, seq: op.seq, record: op.record)
            }
            return .tombstone
        case .erased?:
            return .dropped(keptAsIs: erasing)
        case .live?:
            return .change(erases: erasing)
        }
    }

    /// The lead a merge names, when it must be known: the merging replica had both leads, so the
    /// target's create (or its tombstone) has been applied too. Nil for other changes and for a
    /// merge into the lead itself (an unmerge).
    @inlinable
    public static func mergeTarget(of op: Op) -> RecordID? {
        if case .merge(let target) = op.change, target != op.record { return target }
        return nil
    }

    /// The refusal of a merge into a lead that is unknown here.
    @inlinable
    public static func unknownMergeTarget(_ op: Op, _ target: RecordID) -> ReplicationError {
        .unknownRecord(origin: op.origin, seq: op.seq, record: target)
    }

    /// How an applied operation is logged: as it came, or, when its lead is erased, as a
    /// placeholder that keeps its place in its origin's sequence and nothing else.
    @inlinable
    public static func logged(_ op: Op, kept: Bool) -> Op {
        kept ? op : op.redacted
    }

    /// Whether erasing a lead rewrites this logged operation of it as redacted: all but the
    /// erase itself (the record of the erasure, with no personal data) and placeholders.
    @inlinable
    public static func redactsOnErasure(_ op: Op) -> Bool {
        op.change != .redacted && op.change != .erase
    }
}

/// A lead's state at a receiver, as far as the rules care.
public enum LeadPresence: Sendable, Hashable {
    case live
    /// Erased (GDPR): a tombstone that drops every later operation's content.
    case erased
}
