import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Random multi-replica histories, delivered in random causal orders with duplicates: every
/// replica must end identical, and equal to the reference model of the merge rules.
@Suite struct ConvergencePropertyTests {
    static let scenarios = Int(ProcessInfo.processInfo.environment["LEADSYNC_PROPERTY_SCENARIOS"] ?? "") ?? 1_000
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["LEADSYNC_PROPERTY_SEED"] ?? "") ?? 1

    static let partitions = 4

    /// The seeds are split into partitions that run in parallel; together they cover `scenarios`.
    /// Each partition is minutes of synchronous CPU work: it runs on its own thread, never on
    /// Swift's cooperative pool, where it would starve the in-process hubs of the network tests.
    @Test(arguments: 0..<partitions)
    func randomHistoriesConvergeToTheReferenceModel(partition: Int) async throws {
        let perPartition = (Self.scenarios + Self.partitions - 1) / Self.partitions
        let first = Self.firstSeed + UInt64(partition * perPartition)
        let count = max(0, min(perPartition, Self.scenarios - partition * perPartition))
        let (failure, scenariosWithConflicts) = try await onDedicatedThread { try Self.run(seeds: first..<(first + UInt64(count))) }
        #expect(failure == nil, "\(failure ?? "")")
        // The histories must actually exercise concurrent writes, not only trivially ordered ones.
        if failure == nil { #expect(scenariosWithConflicts >= count / 10) }
    }

    /// Runs the scenarios; returns the first failure and how many scenarios ended with conflicts.
    static func run(seeds: Range<UInt64>) throws -> (failure: String?, withConflicts: Int) {
        var scenariosWithConflicts = 0
        for seed in seeds {
            var scenario = try Scenario(seed: seed)
            try scenario.run()
            let failures = try scenario.check()
            if !failures.isEmpty {
                return ("seed \(seed) (rerun with LEADSYNC_PROPERTY_SEED=\(seed) LEADSYNC_PROPERTY_SCENARIOS=1): \(failures.joined(separator: "; "))", scenariosWithConflicts)
            }
            if try !scenario.stores[0].conflicts().isEmpty { scenariosWithConflicts += 1 }
        }
        return (nil, scenariosWithConflicts)
    }
}

/// One random history over 3-5 in-memory replicas with skewed wall clocks.
struct Scenario {
    let seed: UInt64
    var rng: SeededGenerator
    let stores: [Store]
    let walls: [SimulatedWallClock]
    /// Every operation made so far: the pool re-delivered duplicates are drawn from.
    var made: [Op] = []

    init(seed: UInt64) throws {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        let count = Int.random(in: 3...5, using: &rng)
        var walls: [SimulatedWallClock] = []
        var stores: [Store] = []
        for index in 0..<count {
            // Up to five years behind: wall time must never decide between causally ordered writes.
            let skew = Int64.random(in: -157_680_000_000...0, using: &rng)
            let wall = SimulatedWallClock(1_800_000_000_000 + skew)
            let store = try Store.inMemory(now: { wall.tick() })
            try store.initialize(node: NodeID(validating: "rep\(index)"))
            walls.append(wall)
            stores.append(store)
        }
        self.walls = walls
        self.stores = stores
    }

    mutating func run() throws {
        for _ in 0..<Int.random(in: 10...40, using: &rng) {
            if Int.random(in: 0..<3, using: &rng) == 0 {
                let from = Int.random(in: 0..<stores.count, using: &rng)
                let to = (from + Int.random(in: 1..<stores.count, using: &rng)) % stores.count
                try deliver(from: stores[from], to: stores[to], all: false)
            } else {
                if let op = try RandomEdits.edit(at: stores[Int.random(in: 0..<stores.count, using: &rng)], using: &rng) {
                    made.append(op)
                }
            }
        }
        for _ in 0..<2 {
            for from in stores.indices {
                for to in stores.indices where to != from {
                    try deliver(from: stores[from], to: stores[to], all: true)
                }
            }
        }
    }

    /// Sends what `to` lacks (all of it, or a random causal prefix) in a random causal order,
    /// mixed with operations `to` already has, in one or two batches.
    mutating func deliver(from: Store, to: Store, all: Bool) throws {
        var have = try to.clock()
        var pending = try from.operations(missingFrom: have)
        let known = made.filter { have.covers(origin: $0.origin, seq: $0.seq) }
        var order: [Op] = []
        let wanted = all ? pending.count : Int.random(in: 0...pending.count, using: &rng)
        while order.count < wanted {
            let ready = pending.indices.filter { index in
                let op = pending[index]
                return op.seq == have[op.origin] + 1 && op.deps.entries.allSatisfy { have[$0.key] >= $0.value }
            }
            guard let pick = ready.randomElement(using: &rng) else { break }
            let op = pending.remove(at: pick)
            have[op.origin] = op.seq
            order.append(op)
        }
        for _ in 0..<Int.random(in: 0...min(3, known.count + order.count), using: &rng) {
            let duplicate = Bool.random(using: &rng) && !known.isEmpty ? known.randomElement(using: &rng)! : order.randomElement(using: &rng)
            guard let duplicate else { continue }
            let position = Int.random(in: 0...order.count, using: &rng)
            // A re-delivered op placed before its first delivery would be a gap: put it after.
            let first = order.firstIndex(of: duplicate).map { $0 + 1 } ?? 0
            order.insert(duplicate, at: max(position, first))
        }
        let split = Int.random(in: 0...order.count, using: &rng)
        _ = try to.apply(Array(order[..<split]))
        _ = try to.apply(Array(order[split...]))
    }

    /// Compares every replica with the first and with the reference model; returns what differs.
    func check() throws -> [String] {
        var failures: [String] = []
        var filter = LeadFilter()
        filter.includeDeleted = true
        filter.includeMerged = true
        let log = Set(try stores[0].operationLog().map { "\($0.origin)#\($0.seq)" })
        let reference = ReferenceModel(operations: try stores[0].operations(missingFrom: VectorClock()))
        let firstLeads = try stores[0].leads(filter).sorted { $0.id < $1.id }
        let firstConflicts = try stores[0].conflicts()
        for (index, store) in stores.enumerated() {
            if Set(try store.operationLog().map { "\($0.origin)#\($0.seq)" }) != log { failures.append("replica \(index): op log differs") }
            if try store.leads(filter).sorted(by: { $0.id < $1.id }) != firstLeads { failures.append("replica \(index): leads differ from replica 0") }
            if try store.conflicts() != firstConflicts { failures.append("replica \(index): conflicts differ from replica 0") }
            failures += try reference.differences(from: store, label: "replica \(index)")
        }
        return failures
    }
}
