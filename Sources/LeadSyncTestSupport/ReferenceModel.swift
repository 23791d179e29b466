import LeadSyncCore
import LeadSyncStore

/// The merge rules stated directly, with no incremental state: for every register, the standing
/// writes are those no other write to it causally follows; the policy picks among them. It looks at
/// the whole set of operations at once, so it cannot depend on delivery order.
public struct ReferenceModel {
    public struct LeadState: Equatable, CustomStringConvertible {
        public var fields: [String: String] = [:]
        public var stage = LifecycleStage.lead
        public var tags: [String] = []
        public var deleted = false
        /// The lead this one is shown under (``MergeRoots``), as `Lead.mergedInto`.
        public var mergedInto: RecordID?
        public var notes: [String] = []
        public var description: String {
            "fields=\(fields.sorted { $0.key < $1.key }) stage=\(stage) tags=\(tags) deleted=\(deleted) merged=\(mergedInto?.short ?? "-") notes=\(notes)"
        }
    }

    public struct ConflictState: Hashable {
        public let record: RecordID
        public let field: String
        public let winner: String
        public let loser: String
        public let loserOrigin: ActorID
    }

    /// Live leads: erased ones are in `erased` only.
    public private(set) var leads: [RecordID: LeadState] = [:]
    public private(set) var erased: Set<RecordID> = []
    public private(set) var conflicts: Set<ConflictState> = []

    public init(operations: [Op]) {
        // Full clocks from the compact deps, origin by origin in seq order.
        var clocks: [ActorID: [UInt64: VectorClock]] = [:]
        for op in operations.sorted(by: { ($0.origin, $0.seq) < ($1.origin, $1.seq) }) {
            let previous = clocks[op.origin]?[op.seq - 1] ?? VectorClock()
            clocks[op.origin, default: [:]][op.seq] = op.fullClock(previous: previous)
        }
        func follows(_ later: Op, _ earlier: Op) -> Bool {
            later != earlier && clocks[later.origin]![later.seq]!.covers(origin: earlier.origin, seq: earlier.seq)
        }

        // Erasure wins over everything else that ever touched the lead.
        erased = Set(operations.filter { $0.change == .erase }.map(\.record))
        var writes: [RecordID: [RegisterKey: [(op: Op, value: String)]]] = [:]
        for op in operations where !erased.contains(op.record) {
            if case .create = op.change { leads[op.record] = leads[op.record] ?? LeadState() }
            for write in op.change.writes {
                writes[op.record, default: [:]][write.key, default: []].append((op, write.value))
            }
        }
        for (record, registers) in writes {
            var state = leads[record] ?? LeadState()
            for (key, all) in registers {
                let standing = all.filter { candidate in !all.contains { follows($0.op, candidate.op) } }
                let versions = standing.map { Version(origin: $0.op.origin, seq: $0.op.seq, hlc: $0.op.hlc, value: $0.value) }
                let winner = Self.winner(versions, key: key)
                switch key {
                case .field(let field):
                    if !winner.value.isEmpty { state.fields[field.rawValue] = winner.value }
                    for loser in versions where loser.value != winner.value {
                        conflicts.insert(ConflictState(
                            record: record, field: field.rawValue, winner: winner.value, loser: loser.value,
                            loserOrigin: loser.origin))
                    }
                case .stage:
                    state.stage = LifecycleStage(rawValue: winner.value)!
                case .tag(let tag):
                    if winner.value == RegisterKey.present { state.tags.append(tag) }
                case .deleted:
                    state.deleted = winner.value == RegisterKey.present
                case .mergedInto:
                    state.mergedInto = try? RecordID(validating: winner.value)
                case .setting:
                    break
                }
            }
            state.tags.sort()
            leads[record] = state
        }
        // The registers name the lead each one was merged into; where it is shown depends on all
        // of them together. Pointers to erased leads count for nothing.
        let pointers = leads.compactMapValues(\.mergedInto)
        let roots = MergeRoots.resolve(pointers.filter { leads[$0.value] != nil })
        for record in pointers.keys { leads[record]?.mergedInto = roots[record] }
        let notes = operations.compactMap { op -> (Op, String)? in
            if case .activity(let entry) = op.change, !erased.contains(op.record) { return (op, entry.text) }
            return nil
        }
        for (op, text) in notes.sorted(by: { ($0.0.hlc, $0.0.origin, $0.0.seq) < ($1.0.hlc, $1.0.origin, $1.0.seq) }) {
            leads[op.record]?.notes.append(text)
        }
    }

    /// The policies, spelled out: stage by rank, tags add-wins, deleted restore-wins, else LWW.
    public static func winner(_ versions: [Version], key: RegisterKey) -> Version {
        let lww: (Version, Version) -> Bool = { ($0.hlc, $0.origin) < ($1.hlc, $1.origin) }
        switch key {
        case .field:
            return versions.max(by: lww)!
        case .stage:
            return versions.max { a, b in
                let (ra, rb) = (LifecycleStage(rawValue: a.value)!.rank, LifecycleStage(rawValue: b.value)!.rank)
                return ra != rb ? ra < rb : lww(a, b)
            }!
        case .tag:
            let present = versions.filter { $0.value == RegisterKey.present }
            return (present.isEmpty ? versions : present).max(by: lww)!
        case .mergedInto, .setting:
            return versions.max(by: lww)!
        case .deleted:
            let restored = versions.filter { $0.value == RegisterKey.absent }
            return (restored.isEmpty ? versions : restored).max(by: lww)!
        }
    }

    /// How `store` differs from this model (empty when it matches): every live lead's fields,
    /// stage, tags, flags and notes, the erased leads, and the open conflicts.
    public func differences(from store: Store, label: String) throws -> [String] {
        var failures: [String] = []
        var filter = LeadFilter()
        filter.includeDeleted = true
        filter.includeMerged = true
        let live = try store.leads(filter).filter { !$0.erased }
        for lead in live {
            var state = LeadState(
                fields: lead.fields, stage: lead.stage, tags: lead.tags, deleted: lead.deleted, mergedInto: lead.mergedInto,
                notes: try store.activities(for: lead.id).filter { $0.record == lead.id }.map(\.text))
            state.tags.sort()
            if leads[lead.id] != state {
                failures.append("\(label) lead \(lead.id.short): \(state) != reference \(leads[lead.id].map(\.description) ?? "missing")")
            }
        }
        for id in erased where try store.lead(id)?.erased != true {
            failures.append("\(label): lead \(id.short) not erased")
        }
        if live.count != leads.count { failures.append("\(label): \(live.count) leads, reference \(leads.count)") }
        let storeConflicts = Set(try store.conflicts().map {
            ConflictState(record: $0.record, field: $0.field, winner: $0.winner.value, loser: $0.loser.value, loserOrigin: $0.loser.origin)
        })
        if storeConflicts != conflicts { failures.append("\(label): conflicts \(storeConflicts.count) != reference \(conflicts.count)") }
        return failures
    }
}
