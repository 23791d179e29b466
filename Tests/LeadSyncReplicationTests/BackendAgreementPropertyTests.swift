import Foundation
import LeadSyncCore
import LeadSyncReplication
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Random concurrent histories, delivered in different causal orders to the SQLite store and to
/// ``MemoryReplicationState``: both backends run the same rules, so they must reach the same
/// leads, registers, conflicts and op log, whatever the order.
@Suite struct BackendAgreementPropertyTests {
    static let scenarios = Int(ProcessInfo.processInfo.environment["LEADSYNC_PROPERTY_SCENARIOS"] ?? "") ?? 200
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["LEADSYNC_PROPERTY_SEED"] ?? "") ?? 1

    static let partitions = 2

    /// Partitions run in parallel, each on its own thread (minutes of synchronous work must not
    /// starve Swift's cooperative pool, which other suites' in-process hubs run on).
    @Test(arguments: 0..<partitions)
    func sqliteAndMemoryAgreeInEveryCausalOrder(partition: Int) async throws {
        let perPartition = (Self.scenarios + Self.partitions - 1) / Self.partitions
        let first = Self.firstSeed + UInt64(partition * perPartition)
        let count = max(0, min(perPartition, Self.scenarios - partition * perPartition))
        let (withConflicts, withErasures) = try await onDedicatedThread { try Self.run(seeds: first..<(first + UInt64(count))) }
        // The histories must exercise concurrent writes and erasures, not only ordered edits.
        #expect(withConflicts >= count / 10)
        #expect(withErasures >= 1)
    }

    /// Runs the scenarios; returns how many ended with conflicts and how many with erasures.
    static func run(seeds: Range<UInt64>) throws -> (withConflicts: Int, withErasures: Int) {
        var withConflicts = 0
        var withErasures = 0
        for seed in seeds {
            var rng = SeededGenerator(seed: seed)
            let operations = try History.make(using: &rng)
            var references: [MemoryReplicationState] = []
            for _ in 0..<2 {
                let order = History.causalOrder(of: operations, using: &rng)
                let store = try Store.inMemory()
                var memory = MemoryReplicationState()
                for batch in History.batches(of: order, using: &rng) {
                    _ = try store.apply(batch)
                    for op in batch { try Replicator.apply(op, to: &memory) }
                }
                let differences = try Agreement.differences(store: store, memory: memory)
                guard differences.isEmpty else {
                    throw Disagreement(seed: seed, details: differences.prefix(5).joined(separator: "; "))
                }
                references.append(memory)
            }
            // An erased lead's row keeps only its tombstone, whose stamps depend on what arrived first.
            let live = references.map { $0.leads.filter { $0.value.presence == .live } }
            let erased = references.map { Set($0.leads.filter { $0.value.presence == .erased }.keys) }
            guard references[0].registers == references[1].registers, live[0] == live[1], erased[0] == erased[1] else {
                throw Disagreement(seed: seed, details: "two causal orders left different registers or leads")
            }
            if !references[0].conflicts().isEmpty { withConflicts += 1 }
            if !erased[0].isEmpty { withErasures += 1 }
        }
        return (withConflicts, withErasures)
    }
}

/// A scenario whose backends (or causal orders) disagreed; the test fails with it.
struct Disagreement: Error, CustomStringConvertible {
    let seed: UInt64
    let details: String

    var description: String {
        "seed \(seed) (rerun with LEADSYNC_PROPERTY_SEED=\(seed) LEADSYNC_PROPERTY_SCENARIOS=1): \(details)"
    }
}

/// Random histories over several replicas that sync now and then, so that edits are concurrent.
enum History {
    /// Every operation made (none redacted), from 3-4 in-memory replicas.
    static func make(using rng: inout SeededGenerator) throws -> [Op] {
        let stores = try (0..<Int.random(in: 3...4, using: &rng)).map { index in
            let store = try Store.inMemory()
            try store.initialize(node: NodeID(validating: "rep\(index)"))
            return store
        }
        var made: [Op] = []
        for _ in 0..<Int.random(in: 10...40, using: &rng) {
            if Int.random(in: 0..<3, using: &rng) == 0 {
                let from = Int.random(in: 0..<stores.count, using: &rng)
                let to = (from + Int.random(in: 1..<stores.count, using: &rng)) % stores.count
                _ = try stores[to].apply(try stores[from].operations(missingFrom: try stores[to].clock()))
            } else if let op = try RandomEdits.edit(at: stores.randomElement(using: &rng)!, using: &rng) {
                made.append(op)
            }
        }
        return made
    }

    /// A random order in which every operation follows its origin's previous one and its deps.
    static func causalOrder(of operations: [Op], using rng: inout SeededGenerator) -> [Op] {
        var pending = operations
        var have = VectorClock()
        var order: [Op] = []
        while true {
            let ready = pending.indices.filter { index in
                let op = pending[index]
                return op.seq == have[op.origin] + 1 && op.deps.entries.allSatisfy { have[$0.key] >= $0.value }
            }
            guard let pick = ready.randomElement(using: &rng) else { break }
            let op = pending.remove(at: pick)
            have[op.origin] = op.seq
            order.append(op)
        }
        precondition(pending.isEmpty, "every history is causally complete")
        return order
    }

    /// The order cut into a few batches, with some operations delivered twice.
    static func batches(of order: [Op], using rng: inout SeededGenerator) -> [[Op]] {
        var batches: [[Op]] = []
        var rest = order[...]
        while !rest.isEmpty {
            var batch = Array(rest.prefix(Int.random(in: 1...max(1, rest.count), using: &rng)))
            rest = rest.dropFirst(batch.count)
            if Bool.random(using: &rng), let again = batch.randomElement(using: &rng) { batch.append(again) }
            batches.append(batch)
        }
        return batches
    }
}
