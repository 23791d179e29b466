/// Where each merged duplicate is shown: the lead at the end of its chain of `merged_into`
/// pointers.
///
/// Each lead's `merged_into` register converges on its own, so concurrent merges can leave
/// pointers that hide leads: A into B on one replica and B into A on another point the two at each
/// other, and A into B next to B into C makes a chain. Resolving the pointers as a whole, from
/// their converged values only, gives every replica the same answer, and no lead disappears: a
/// chain ends at its last lead, and in a cycle the lead with the smallest id stands on its own
/// while the others are shown under it.
public enum MergeRoots {
    /// The lead each pointing lead is shown under. `pointers` maps a lead to the lead its register
    /// names (leave out pointers to erased leads: those stand for no one). Leads absent from the
    /// result stand on their own, including a cycle's representative.
    public static func resolve(_ pointers: [RecordID: RecordID]) -> [RecordID: RecordID] {
        // nil: stands on its own (a cycle's representative).
        var resolved: [RecordID: RecordID?] = [:]
        for start in pointers.keys where resolved[start] == nil {
            var path: [RecordID] = []
            var positions: [RecordID: Int] = [:]
            var current = start
            let root: RecordID
            while true {
                if let known = resolved[current] {
                    root = known ?? current
                    break
                }
                if let position = positions[current] {
                    let cycle = path[position...]
                    root = cycle.min()!
                    for member in cycle { resolved[member] = member == root ? .some(nil) : root }
                    path.removeSubrange(position...)
                    break
                }
                guard let next = pointers[current] else {
                    root = current
                    break
                }
                positions[current] = path.count
                path.append(current)
                current = next
            }
            for member in path { resolved[member] = root }
        }
        return resolved.compactMapValues { $0 }
    }
}
