import LeadSyncCore
import LeadSyncStore
import Testing

/// Everything two stores must agree on once they have the same operations.
struct ReplicaState: Equatable, CustomStringConvertible {
    let leads: [Lead]
    let conflicts: Set<Conflict>
    let operations: Set<String>

    init(_ store: Store) throws {
        var filter = LeadFilter()
        filter.includeDeleted = true
        leads = try store.leads(filter).sorted { $0.id < $1.id }
        conflicts = Set(try store.conflicts())
        operations = Set(try store.operationLog().map { "\($0.origin)#\($0.seq)" })
    }

    var description: String { "\(leads.count) leads, \(conflicts.count) conflicts, \(operations.count) ops" }
}

/// Expects every store to hold the same leads, conflicts and op set.
func expectConverged(_ stores: [Store], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let states = try stores.map(ReplicaState.init)
    for state in states.dropFirst() {
        #expect(state == states[0], sourceLocation: sourceLocation)
    }
}
