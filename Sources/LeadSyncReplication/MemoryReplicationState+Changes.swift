import LeadSyncCore

extension MemoryReplicationState {
    /// What applying operations changed since the last ``takeChanges()``: what a backend that
    /// loaded rows into this state writes back, in one transaction.
    public struct Changes: Sendable, Equatable {
        /// Leads inserted, stamped, tombstoned or erased: write their rows from ``leads``.
        public var leads: Set<RecordID> = []
        /// Records whose registers were merged into, or dropped by an erasure (absent from
        /// ``registers``): write their registers' versions, winners and conflicts, or delete them.
        public var registers: Set<RecordID> = []
        /// Leads erased (or first heard of as tombstones): delete their events and conflicts and
        /// redact their logged operations that ``ReplicationRules/redactsOnErasure(_:)`` names,
        /// including those logged before this state was loaded.
        public var erased: Set<RecordID> = []
        /// Events to insert, in apply order.
        public var events: [Op] = []
        /// How many entries at the end of ``log`` are new.
        public var appended = 0
        /// Actors whose progress changed.
        public var actors: Set<ActorID> = []

        public init() {}

        public var isEmpty: Bool { self == Changes() }
    }

    /// The changes since the last call, and forgets them.
    public mutating func takeChanges() -> Changes {
        defer { changes = Changes() }
        return changes
    }

    /// The op-log entries appended since the last ``takeChanges()``: what to insert.
    public var appendedEntries: ArraySlice<LogEntry> {
        log.suffix(changes.appended)
    }

    /// Every register of a lead whose winner loses to a concurrent write of another value, with
    /// the winner and the losers (last-writer-wins registers only, as ``Register/conflicts(_:)``).
    public func conflicts() -> [(register: RegisterRef, winner: Version, losers: [Version])] {
        registers.flatMap { record, registers in
            registers.compactMap { key, register in
                let losers = register.conflicts(key.policy)
                guard !losers.isEmpty, let winner = register.winner(key.policy) else { return nil }
                return (RegisterRef(record: record, key: key), winner, losers)
            }
        }
    }

    /// The winning value of a register, nil when nothing was written to it.
    public func winner(of key: RegisterKey, in record: RecordID) -> String? {
        registers[record]?[key]?.winner(key.policy)?.value
    }

    /// Where each merged duplicate is shown (``ReplicationRules/mergeRoots(_:isLive:)``).
    public func mergeRoots() -> [RecordID: RecordID] {
        var pointers: [RecordID: RecordID] = [:]
        for (record, registers) in registers {
            if let value = registers[.mergedInto]?.winner(.lastWriterWins)?.value, let target = try? RecordID(validating: value) {
                pointers[record] = target
            }
        }
        return ReplicationRules.mergeRoots(pointers) { leads[$0]?.presence == .live }
    }
}
