/// One write standing in a register: its operation's id, timestamp and value.
public struct Version: Sendable, Hashable, Codable {
    public let origin: ActorID
    public let seq: UInt64
    public let hlc: HLC
    public let value: String

    public init(origin: ActorID, seq: UInt64, hlc: HLC, value: String) {
        self.origin = origin
        self.seq = seq
        self.hlc = hlc
        self.value = value
    }

    /// The last-writer-wins order for concurrent writes: HLC, then origin as the exact tie-break.
    public static func lwwPrecedes(_ lhs: Version, _ rhs: Version) -> Bool {
        (lhs.hlc, lhs.origin) < (rhs.hlc, rhs.origin)
    }
}

/// A multi-value register: the writes not superseded by a causally later write. With causal
/// delivery this set does not depend on the order operations arrive in, so every replica that has
/// applied the same operations holds the same register, and the policy then picks the same winner.
public struct Register: Sendable, Hashable {
    /// Standing writes, sorted by `(origin, seq)` so equal registers are equal byte for byte.
    public private(set) var versions: [Version]

    public init(versions: [Version] = []) {
        self.versions = versions.sorted { ($0.origin, $0.seq) < ($1.origin, $1.seq) }
    }

    /// Applies a write made by an operation whose full vector clock is `clock`. Returns the versions
    /// it superseded. With causal delivery a standing version never follows the incoming write, so
    /// each standing version is either covered by `clock` (superseded) or concurrent (kept).
    @discardableResult
    public mutating func apply(_ version: Version, clock: VectorClock) -> [Version] {
        let superseded = versions.filter { clock.covers(origin: $0.origin, seq: $0.seq) }
        guard !superseded.isEmpty || !versions.contains(where: { $0.origin == version.origin && $0.seq == version.seq })
        else { return [] }
        versions.removeAll { clock.covers(origin: $0.origin, seq: $0.seq) }
        let index = versions.firstIndex { ($0.origin, $0.seq) > (version.origin, version.seq) } ?? versions.endIndex
        versions.insert(version, at: index)
        return superseded
    }

    public func winner(_ policy: MergePolicy) -> Version? {
        switch policy {
        case .lastWriterWins:
            return versions.max(by: Version.lwwPrecedes)
        case .mostAdvancedStage:
            return versions.max { lhs, rhs in
                let l = LifecycleStage(rawValue: lhs.value)?.rank ?? -1
                let r = LifecycleStage(rawValue: rhs.value)?.rank ?? -1
                return l != r ? l < r : Version.lwwPrecedes(lhs, rhs)
            }
        case .prefer(let preferred):
            let candidates = versions.contains { $0.value == preferred } ? versions.filter { $0.value == preferred } : versions
            return candidates.max(by: Version.lwwPrecedes)
        }
    }

    /// Concurrent writes that lost with a different value: kept and shown, never silently dropped.
    /// Only contact fields report conflicts; the other policies resolve by meaning.
    public func conflicts(_ policy: MergePolicy) -> [Version] {
        guard policy == .lastWriterWins, let winner = winner(policy) else { return [] }
        return versions.filter { $0.value != winner.value }
    }
}
