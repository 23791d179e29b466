import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Expects every store to hold the same leads, conflicts, activities and op set, with no op applied
/// twice (see ``ReplicaState``).
func expectConverged(_ stores: [Store], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let states = try stores.map(ReplicaState.init)
    for (index, state) in states.enumerated() {
        let differences = state.differences(from: states[0])
        #expect(differences.isEmpty, "store \(index) vs store 0: \(differences.joined(separator: "; "))", sourceLocation: sourceLocation)
    }
}
