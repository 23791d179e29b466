import LeadSyncCore

extension ReplicationRules {
    /// A write merged into a register: the versions before and after, and what a store must do
    /// about the lead's projected value and the register's conflict.
    public struct RegisterMerge: Sendable, Equatable {
        public let key: RegisterKey
        public let before: Register
        public let after: Register
        /// Standing versions the write superseded (they causally precede it).
        public let superseded: [Version]

        @usableFromInline
        init(key: RegisterKey, before: Register, after: Register, superseded: [Version]) {
            self.key = key
            self.before = before
            self.after = after
            self.superseded = superseded
        }

        /// The register's winner under its key's policy; nil only for an empty register.
        public var winner: Version? { after.winner(key.policy) }
        /// Whether the winning value changed, so the lead's projected value must be rewritten.
        public var winnerChanged: Bool { after.winner(key.policy)?.value != before.winner(key.policy)?.value }
        /// What happened to the register's conflict (a concurrent loser with another value).
        public var conflict: ConflictChange {
            let had = !before.conflicts(key.policy).isEmpty
            let has = !after.conflicts(key.policy).isEmpty
            return had == has ? .unchanged : has ? .opened : .closed
        }
    }

    public enum ConflictChange: Sendable, Equatable {
        case unchanged
        case opened
        case closed
    }

    /// Merges `version`, written by an operation whose full vector clock is `clock`, into a
    /// register whose standing versions are `standing`. Causality first: every standing version
    /// the clock covers is superseded; the ones left are concurrent and stay. The key's policy
    /// (last writer wins by HLC then node id, most advanced stage, add-wins tags, restore-wins
    /// deletion) then picks the winner, and a last-writer-wins loser with another value is a
    /// conflict, kept and shown.
    @inlinable
    public static func merge(_ version: Version, into standing: [Version], clock: VectorClock, key: RegisterKey) -> RegisterMerge {
        let before = Register(versions: standing)
        var after = before
        let superseded = after.apply(version, clock: clock)
        return RegisterMerge(key: key, before: before, after: after, superseded: superseded)
    }

    /// Whether a write whose full clock is `clock` supersedes the standing version `(origin, seq)`:
    /// the common edit, which leaves one version and no conflict. Stores with a fast path for a
    /// register holding a single version ask this instead of building registers.
    @inlinable
    public static func supersedes(_ clock: VectorClock, origin: ActorID, seq: UInt64) -> Bool {
        clock.covers(origin: origin, seq: seq)
    }

    /// Where each merged duplicate is shown, from the `merged_into` winners of the leads that
    /// are not erased (pointers to erased or unknown leads count for nothing).
    public static func mergeRoots(_ pointers: [RecordID: RecordID], isLive: (RecordID) -> Bool) -> [RecordID: RecordID] {
        MergeRoots.resolve(pointers.filter { isLive($0.key) && isLive($0.value) })
    }
}
