import LeadSyncCore
import LeadSyncStore

/// Everything two stores (replicas or a hub) must agree on once they hold the same operations:
/// every lead (deleted and merged ones too), the open conflicts, the activities and the op log as a
/// set. Also counts op-log entries that repeat an `(origin, seq)`: an operation applied twice.
public struct ReplicaState: Equatable, Sendable, CustomStringConvertible {
    public let leads: [Lead]
    public let conflicts: Set<Conflict>
    public let activities: Set<Activity>
    /// The op log as `origin#seq` strings.
    public let operations: Set<String>
    /// Op-log entries beyond the first for the same `(origin, seq)`; 0 unless an op was applied twice.
    public let duplicateOperations: Int

    public init(_ store: Store) throws {
        var filter = LeadFilter()
        filter.includeDeleted = true
        filter.includeMerged = true
        leads = try store.leads(filter).sorted { $0.id < $1.id }
        conflicts = Set(try store.conflicts())
        var activities = Set<Activity>()
        for lead in leads { activities.formUnion(try store.activities(for: lead.id)) }
        self.activities = activities
        let log = try store.operationLog().map { "\($0.origin)#\($0.seq)" }
        operations = Set(log)
        duplicateOperations = log.count - operations.count
    }

    public var description: String {
        "\(leads.count) leads, \(conflicts.count) conflicts, \(activities.count) activities, \(operations.count) ops"
            + (duplicateOperations > 0 ? ", \(duplicateOperations) duplicate log entries" : "")
    }

    /// What differs from `other`, readably and briefly; empty when equal.
    public func differences(from other: ReplicaState) -> [String] {
        var result: [String] = []
        if duplicateOperations != 0 { result.append("\(duplicateOperations) ops applied twice") }
        let missing = other.operations.subtracting(operations)
        let extra = operations.subtracting(other.operations)
        if !missing.isEmpty || !extra.isEmpty {
            result.append("op log lacks \(missing.sorted().prefix(5)) (\(missing.count)), has extra \(extra.sorted().prefix(5)) (\(extra.count))")
        }
        if leads != other.leads {
            let mine = Dictionary(uniqueKeysWithValues: leads.map { ($0.id, $0) })
            let theirs = Dictionary(uniqueKeysWithValues: other.leads.map { ($0.id, $0) })
            for id in Set(mine.keys).union(theirs.keys).sorted() where mine[id] != theirs[id] {
                result.append("lead \(id.short): \(mine[id].map(Self.describe) ?? "missing") vs \(theirs[id].map(Self.describe) ?? "missing")")
                if result.count > 8 { break }
            }
        }
        if conflicts != other.conflicts {
            result.append("conflicts: \(conflicts.count) vs \(other.conflicts.count), differing \(conflicts.symmetricDifference(other.conflicts).count)")
        }
        if activities != other.activities {
            result.append("activities: \(activities.count) vs \(other.activities.count)")
        }
        return result
    }

    static func describe(_ lead: Lead) -> String {
        "fields=\(lead.fields.sorted { $0.key < $1.key }) stage=\(lead.stage) tags=\(lead.tags) deleted=\(lead.deleted) "
            + "merged=\(lead.mergedInto?.short ?? "-") erased=\(lead.erased) updated=\(lead.updatedAt)"
    }
}
