import LeadSyncCore
import LeadSyncReplication
import LeadSyncStore

/// Compares what the SQLite store materialised with the registers a ``MemoryReplicationState``
/// holds: every lead's projection, merge roots, field conflicts and the op log (redactions too).
enum Agreement {
    static func differences(store: Store, memory: MemoryReplicationState) throws -> [String] {
        var result: [String] = []
        var filter = LeadFilter()
        filter.includeDeleted = true
        filter.includeMerged = true
        let leads = try store.leads(filter)
        let roots = memory.mergeRoots()
        for lead in leads {
            guard let row = memory.leads[lead.id] else {
                result.append("lead \(lead.id.short) only in SQLite")
                continue
            }
            guard row.presence == .live else {
                result.append("lead \(lead.id.short) erased in memory only")
                continue
            }
            let expected = projection(of: lead.id, in: memory, mergedInto: roots[lead.id])
            let actual = Projection(
                fields: lead.fields, stage: lead.stage, tags: lead.tags.sorted(), deleted: lead.deleted,
                mergedInto: lead.mergedInto, created: lead.createdAt, createdBy: lead.createdBy, updated: lead.updatedAt)
            if actual != expected { result.append("lead \(lead.id.short): \(actual) vs memory \(expected)") }
        }
        // The store lists live leads only; an erased one is a tombstone its lookup still finds.
        let live = memory.leads.filter { $0.value.presence == .live }
        if leads.count != live.count { result.append("\(leads.count) live leads vs memory \(live.count)") }
        for (record, row) in memory.leads where row.presence == .erased {
            if try store.lead(record)?.erased != true { result.append("lead \(record.short) erased in memory only") }
        }
        let storeConflicts = Set(try store.conflicts().map { ConflictPair(record: $0.record, field: $0.field, winner: $0.winner, loser: $0.loser) })
        var memoryConflicts = Set<ConflictPair>()
        for (register, winner, losers) in memory.conflicts() {
            guard case .field(let field) = register.key else { continue }
            for loser in losers {
                memoryConflicts.insert(ConflictPair(record: register.record, field: field.rawValue, winner: winner, loser: loser))
            }
        }
        if storeConflicts != memoryConflicts {
            result.append("conflicts: \(storeConflicts.count) vs memory \(memoryConflicts.count)")
        }
        let storeLog = Set(try store.operations(missingFrom: VectorClock()))
        let memoryLog = Set(memory.log.map(\.op))
        if storeLog != memoryLog {
            result.append("op log: \(storeLog.subtracting(memoryLog).count) only in SQLite, \(memoryLog.subtracting(storeLog).count) only in memory")
        }
        return result
    }

    struct Projection: Equatable, CustomStringConvertible {
        var fields: [String: String]
        var stage: LifecycleStage
        var tags: [String]
        var deleted: Bool
        var mergedInto: RecordID?
        var created: HLC?
        var createdBy: ActorID?
        var updated: HLC

        var description: String {
            "fields=\(fields.sorted { $0.key < $1.key }) stage=\(stage) tags=\(tags) deleted=\(deleted) "
                + "merged=\(mergedInto?.short ?? "-") created=\(created.map { "\($0.packed)" } ?? "-") updated=\(updated.packed)"
        }
    }

    struct ConflictPair: Hashable {
        let record: RecordID
        let field: String
        let winner: Version
        let loser: Version
    }

    static func projection(of record: RecordID, in memory: MemoryReplicationState, mergedInto: RecordID?) -> Projection {
        var fields: [String: String] = [:]
        var tags: [String] = []
        for (key, register) in memory.registers[record] ?? [:] {
            guard let winner = register.winner(key.policy) else { continue }
            switch key {
            case .field(let name) where !winner.value.isEmpty: fields[name.rawValue] = winner.value
            case .tag(let tag) where winner.value == RegisterKey.present: tags.append(tag)
            default: break
            }
        }
        let row = memory.leads[record]
        return Projection(
            fields: fields, stage: memory.winner(of: .stage, in: record).flatMap(LifecycleStage.init(rawValue:)) ?? .lead,
            tags: tags.sorted(), deleted: memory.winner(of: .deleted, in: record) == RegisterKey.present, mergedInto: mergedInto,
            created: row?.createdHLC, createdBy: row?.createdBy, updated: row?.updatedHLC ?? HLC(packed: 0))
    }
}
