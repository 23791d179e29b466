/// Finds leads that are probably the same person captured twice (two reps at one fair, a
/// re-imported list).
public enum DuplicateFinder {
    /// Every pair of leads sharing at least one ``DuplicateKeys`` key.
    ///
    /// Leads are bucketed by key, so the work is linear in the number of leads plus the number of
    /// pairs found (a key shared by k leads yields k(k-1)/2 pairs); nothing compares all leads
    /// with all others. Pairs are reported, not clusters: three leads with one email give three
    /// pairs. Entries with the same id count as one lead: they are never paired with each other,
    /// and their pairs with others are merged.
    ///
    /// - Returns: Pairs with `first < second`, sorted by `first`, then `second`.
    public static func pairs(_ leads: [LeadFacts]) -> [DuplicatePair] {
        // Per reason: the first lead seen with each key, and the keys seen more than once with
        // all their leads (most keys are unique, so they never allocate a list).
        let reasons = DuplicateReason.allCases
        var firstSeen = Array(repeating: [String: Int](minimumCapacity: leads.count), count: reasons.count)
        var shared = Array(repeating: [String: [Int]](), count: reasons.count)
        var folding = DuplicateKeys.Folding()
        for (index, lead) in leads.enumerated() {
            let keys = DuplicateKeys(lead, folding: &folding)
            for (slot, reason) in reasons.enumerated() {
                guard let key = keys.key(for: reason) else { continue }
                if let first = firstSeen[slot][key] {
                    shared[slot][key, default: [first]].append(index)
                } else {
                    firstSeen[slot][key] = index
                }
            }
        }
        var found: [IDPair: UInt8] = [:]
        for (reason, groups) in zip(reasons, shared) {
            for members in groups.values {
                for i in members.indices {
                    for j in members.index(after: i)..<members.endIndex {
                        let (a, b) = (leads[members[i]].id, leads[members[j]].id)
                        guard a != b else { continue }
                        found[a < b ? IDPair(first: a, second: b) : IDPair(first: b, second: a), default: 0] |= 1 << reason.bit
                    }
                }
            }
        }
        var result = found.map { pair, mask in
            DuplicatePair(
                first: pair.first, second: pair.second,
                reasons: DuplicateReason.allCases.filter { mask & (1 << $0.bit) != 0 })
        }
        result.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        return result
    }

    /// Two ids, `first < second`.
    private struct IDPair: Hashable {
        var first: String
        var second: String
    }
}

extension DuplicateReason {
    fileprivate var bit: Int { DuplicateReason.allCases.firstIndex(of: self)! }
}
