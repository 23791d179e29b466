import LeadSyncCore

/// A ``ReplicationState`` in memory. Two uses: a backend that is not SQLite (the PostgreSQL hub)
/// loads into it the rows a batch touches, lets ``Replicator`` apply the batch, and writes back
/// what ``takeChanges()`` lists; and tests use it as the reference the stores must agree with.
///
/// What was not loaded does not exist: a caller that loads only part of its data must load every
/// actor, and every lead and register the batch's operations name (merge targets included).
public struct MemoryReplicationState: ReplicationState, Sendable {
    /// An actor's progress: its last contiguous seq and that operation's full clock.
    public struct ActorProgress: Sendable, Hashable {
        public var seq: UInt64
        public var clock: VectorClock

        public init(seq: UInt64, clock: VectorClock) {
            self.seq = seq
            self.clock = clock
        }
    }

    /// A lead row: whether it is erased, who created it and when it last changed.
    public struct LeadRow: Sendable, Hashable {
        public var presence: LeadPresence
        public var createdBy: ActorID?
        public var createdHLC: HLC?
        public var updatedHLC: HLC

        public init(presence: LeadPresence, createdBy: ActorID?, createdHLC: HLC?, updatedHLC: HLC) {
            self.presence = presence
            self.createdBy = createdBy
            self.createdHLC = createdHLC
            self.updatedHLC = updatedHLC
        }
    }

    /// One register of one record (a lead or ``RecordID/settings``), as ``conflicts()`` names it.
    public struct RegisterRef: Sendable, Hashable {
        public let record: RecordID
        public let key: RegisterKey

        public init(record: RecordID, key: RegisterKey) {
            self.record = record
            self.key = key
        }
    }

    /// An op-log entry: the operation as logged and its text (as received, or encoded).
    public struct LogEntry: Sendable, Hashable {
        public var op: Op
        public var body: String
    }

    public private(set) var actors: [ActorID: ActorProgress]
    public private(set) var leads: [RecordID: LeadRow] = [:]
    /// Each record's registers. Keyed by record first: a backend writes back a record's registers
    /// together and takes them from here without going through the others.
    public private(set) var registers: [RecordID: [RegisterKey: Register]] = [:]
    /// Activities, consents and stage changes, per lead, in apply order.
    public private(set) var events: [RecordID: [Op]] = [:]
    /// The operations applied through this state, in apply order (loaded rows are not repeated).
    public private(set) var log: [LogEntry] = []
    var changes = Changes()

    public init(actors: [ActorID: ActorProgress] = [:]) {
        self.actors = actors
    }

    /// Loads a lead row as the backend holds it.
    public mutating func load(lead record: RecordID, _ row: LeadRow) {
        leads[record] = row
    }

    /// Loads a record's registers, each with its standing versions, as the backend holds them.
    public mutating func load(registers loaded: [RegisterKey: [Version]], of record: RecordID) {
        let nonEmpty = loaded.filter { !$0.value.isEmpty }
        guard !nonEmpty.isEmpty else { return }
        registers[record] = nonEmpty.mapValues { Register(versions: $0) }
    }

    // MARK: ReplicationState

    public func appliedSeq(of actor: ActorID) -> UInt64 {
        actors[actor]?.seq ?? 0
    }

    public func clock(of actor: ActorID) -> VectorClock {
        actors[actor]?.clock ?? VectorClock()
    }

    public func presence(of record: RecordID) -> LeadPresence? {
        leads[record]?.presence
    }

    public func versions(of key: RegisterKey, in record: RecordID) -> [Version] {
        registers[record]?[key]?.versions ?? []
    }

    public mutating func insertLead(_ op: Op) {
        leads[op.record] = LeadRow(presence: .live, createdBy: op.origin, createdHLC: op.hlc, updatedHLC: op.hlc)
        changes.leads.insert(op.record)
    }

    public mutating func store(_ merge: ReplicationRules.RegisterMerge, in record: RecordID) {
        registers[record, default: [:]][merge.key] = merge.after
        changes.registers.insert(record)
    }

    public mutating func stamp(_ record: RecordID, hlc: HLC) {
        guard let row = leads[record], row.updatedHLC < hlc else { return }
        leads[record]?.updatedHLC = hlc
        changes.leads.insert(record)
    }

    public mutating func recordEvent(_ op: Op) {
        switch op.change {
        case .activity, .consent, .stage, .create:
            events[op.record, default: []].append(op)
            changes.events.append(op)
        default:
            break
        }
    }

    public mutating func insertTombstone(_ op: Op) {
        leads[op.record] = LeadRow(presence: .erased, createdBy: op.origin, createdHLC: op.hlc, updatedHLC: op.hlc)
        changes.leads.insert(op.record)
        changes.erased.insert(op.record)
    }

    public mutating func erase(_ record: RecordID) {
        leads[record]?.presence = .erased
        changes.leads.insert(record)
        changes.erased.insert(record)
        if registers.removeValue(forKey: record) != nil { changes.registers.insert(record) }
        events[record] = nil
        changes.events.removeAll { $0.record == record }
        for index in log.indices where log[index].op.record == record && ReplicationRules.redactsOnErasure(log[index].op) {
            log[index] = LogEntry(op: log[index].op.redacted, body: log[index].op.redacted.json)
        }
    }

    public mutating func append(_ op: Op, body: String?) {
        log.append(LogEntry(op: op, body: body ?? op.json))
        changes.appended += 1
    }

    public mutating func advance(_ actor: ActorID, seq: UInt64, clock: VectorClock, hlc: HLC) {
        actors[actor] = ActorProgress(seq: seq, clock: clock)
        changes.actors.insert(actor)
    }
}
