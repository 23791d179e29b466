import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTestSupport
import NIOCore
import Testing

/// A registered node with a valid token turned hostile (or a laptop with a broken clock) pushes
/// operations at and beyond every bound. Whatever the hub accepts, every honest replica must take,
/// edit on and sync on, whatever its own clock says. The random cases are seeded; a failure names
/// its seed, replayed with LEADSYNC_HOSTILE_SEED=<seed>.
@Suite(.serialized) struct HostileFleetTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["LEADSYNC_HOSTILE_SEED"] ?? "") ?? 13
    static let rounds = Int(ProcessInfo.processInfo.environment["LEADSYNC_HOSTILE_ROUNDS"] ?? "") ?? 80
    static let year: Int64 = 365 * 86_400_000
    static let mallory = "mallory~m4ll0r"

    /// Pushes one `ops` line as `mallory` and returns the hub's answer to it (`ack` or `error`).
    static func push(_ ops: [String], token: String, port: Int) async throws -> String {
        let hello = #"{"type":"hello","protocol":1,"node":"mallory","actor":"\#(mallory)","token":"\#(token)","clock":{},"wall":\#(Store.systemMillis())}"#
        let line = #"{"type":"ops","ops":[\#(ops.joined(separator: ","))]}"#
        let exchange = try await RawLineClient.exchange(
            port: port, sending: [hello + "\n", line + "\n"], deadline: .seconds(10), stopAfter: 2)
        return exchange.lines.dropFirst().first ?? exchange.lines.last ?? "<no answer>"
    }

    static func op(seq: String, hlc: String, record: String, action: String, deps: String? = nil) -> String {
        let depsKey = deps.map { #""deps":\#($0),"# } ?? ""
        return #"{"origin":"\#(mallory)","seq":\#(seq),\#(depsKey)"hlc":\#(hlc),"record":"\#(record)",\#(action)}"#
    }

    @Test func theLargestClockIsRefusedAndTheEdgeOfThePolicyWedgesNoOne() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let token = try hub.registry.addNode(NodeID(validating: "mallory"))
            let behind = try hub.addReplica("behind", now: { Store.systemMillis() - 5 * Self.year })
            let ahead = try hub.addReplica("ahead", now: { Store.systemMillis() + 20 * 60_000 })
            try behind.addLeads(2)
            try await hub.sync(behind)
            var generator = SeededGenerator(seed: 7)
            let record = RecordID.random(using: &generator)

            let largest = try await Self.push(
                [Self.op(seq: "1", hlc: "[\(HLC.maxWallMillis),65535]", record: record.rawValue,
                         action: #""action":"create","fields":{"last_name":"Max"},"stage":"lead""#)],
                token: token, port: hub.port)
            #expect(largest.contains(#""code":"clock_ahead""#), "\(largest)")
            #expect(largest.contains("this laptop's clock is wrong"), "\(largest)")

            // Just inside the policy: accepted, and every replica must live with it.
            let edge = Store.systemMillis() + ClockPolicy.defaultMaxAheadMillis - 60_000
            let accepted = try await Self.push(
                [Self.op(seq: "1", hlc: "[\(edge),65535]", record: record.rawValue,
                         action: #""action":"create","fields":{"last_name":"Edge"},"stage":"lead""#)],
                token: token, port: hub.port)
            #expect(accepted.contains(#""type":"ack""#), "\(accepted)")

            for replica in [behind, ahead] {
                try await hub.sync(replica)
                for city in ["Berlin", "Hamburg"] {
                    let op = try replica.store.commit(.set([.standard(.city): city]), to: record)
                    #expect(op.hlc > HLC(wallMillis: edge, counter: .max) && op.hlc <= HLC.max)
                }
                try await hub.sync(replica)
            }
            try await hub.sync(behind)
            try expectConverged([behind.store, ahead.store, hub.store])
            #expect(try hub.store.lead(record)?.fields["city"] == "Hamburg")
        }
    }

    @Test func randomExtremeOperationsNeverWedgeTheFleet() async throws {
        var rng = SeededGenerator(seed: Self.seed)
        try await withTestHub(transport: .plaintext) { hub in
            let token = try hub.registry.addNode(NodeID(validating: "mallory"))
            let replicas = [
                try hub.addReplica("accurate"),
                try hub.addReplica("behind", now: { Store.systemMillis() - 5 * Self.year }),
                try hub.addReplica("ahead", now: { Store.systemMillis() + 20 * 60_000 }),
            ]
            let malloryActor = try ActorID(validating: Self.mallory)
            var created: [String] = []
            var answers: [String: Int] = [:]
            var failures: [String] = []
            for round in 0..<Self.rounds {
                let next = try hub.store.clock()[malloryActor] + 1
                let now = Store.systemMillis()
                var draw = HostileDraw(rng: rng, next: next, created: created, now: now)
                // Every tenth operation tries one clock alone: just inside the policy, or far ahead.
                if round % 10 == 3 { draw.forcedWall = "\(now + ClockPolicy.defaultMaxAheadMillis - 30_000)" }
                if round % 10 == 7 { draw.forcedWall = "\(now + 3 * Self.year)" }
                let op = draw.op()
                rng = draw.rng
                let answer = try await Self.push([op.text], token: token, port: hub.port)
                let code = answer.contains(#""type":"ack""#) ? "ack" : Self.code(in: answer)
                answers[code, default: 0] += 1
                if code == "ack", op.creates { created.append(op.record) }
                if code == "<none>" { failures.append("round \(round): no answer to \(op.text)") }

                let replica = replicas[Int.random(in: 0..<replicas.count, using: &rng)]
                do {
                    try await hub.sync(replica)
                    if let edit = try RandomEdits.edit(at: replica.store, using: &rng) {
                        if edit.hlc > HLC.max || edit.hlc.packed < 0 { failures.append("round \(round): \(replica.node) made \(edit.hlc)") }
                    }
                    try await hub.sync(replica)
                } catch {
                    failures.append("seed \(Self.seed) round \(round) after \(op.text): \(replica.node) cannot sync: \(error)")
                }
            }
            for _ in 0..<2 {
                for replica in replicas {
                    do { try await hub.sync(replica) } catch { failures.append("final sync of \(replica.node): \(error)") }
                }
            }
            #expect(failures.isEmpty, "seed \(Self.seed): \(failures.prefix(5))")
            // The draw reached both sides of the bounds.
            #expect(answers["ack", default: 0] > 0 && answers["clock_ahead", default: 0] > 0 && answers["invalid_op", default: 0] > 0,
                    "seed \(Self.seed): \(answers)")
            try expectConverged(replicas.map(\.store) + [hub.store])
            // Every lead the hub accepted can still be edited everywhere.
            for replica in replicas {
                for id in created {
                    guard let record = try? RecordID(validating: id), let lead = try replica.store.lead(record), !lead.erased else { continue }
                    try replica.store.commit(.set([.custom("x_checked"): replica.node.rawValue]), to: record)
                }
                try await hub.sync(replica)
            }
        }
    }

    static func code(in line: String) -> String {
        guard let range = line.range(of: #""code":""#) else { return "<none>" }
        return String(line[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// One random operation of `mallory`'s, as JSON text: every part is, now and then, drawn at or
/// beyond its bound, the rest ordinary, so that both accepted and refused operations are common.
struct HostileDraw {
    var rng: SeededGenerator
    let next: UInt64
    let created: [String]
    let now: Int64

    struct Drawn {
        let text: String
        let record: String
        let creates: Bool
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    /// With a wall time, every other part is ordinary: one bound at a time.
    var forcedWall: String?

    /// `ordinary`, or one of `extremes` one time in `odds`.
    mutating func part<T>(_ ordinary: T, _ extremes: [T], odds: Int = 5) -> T {
        Int.random(in: 0..<odds, using: &rng) == 0 && forcedWall == nil ? pick(extremes) : ordinary
    }

    mutating func op() -> Drawn {
        let year = HostileFleetTests.year
        let ahead = ClockPolicy.defaultMaxAheadMillis
        let seq = part("\(next)", ["\(Op.maxSeq)", "\(Op.maxSeq + 1)", "\(UInt64.max)", "0", "1e-400", "\(next + 1)"])
        let wall = forcedWall ?? part("\(now)", [
            "\(now - 10 * year)", "0", "\(now + ahead - 30_000)", "\(now + ahead + 30_000)", "\(now + 50 * year)",
            "\(HLC.maxWallMillis)", "\(HLC.maxWallMillis + 1)", "140737488355327", "9223372036854775807", "1e-400", "-1",
        ], odds: 3)
        let counter = part("\(Int.random(in: 0...65535, using: &rng))", ["0", "65535", "65536"])
        let deps: String? = part(nil, [#"{"\#(HostileFleetTests.mallory)":1}"#, #"{"accurate~zz9":9007199254740992}"#, #"{"accurate~zz9":3}"#])
        let existing = created.isEmpty ? nil : pick(created)
        let fresh = RecordID.random(using: &rng).rawValue
        let creates = existing == nil || Int.random(in: 0..<3, using: &rng) == 0
        let record = part(creates ? fresh : existing ?? fresh, [fresh, "nope", existing ?? fresh])
        let value = part("Eve", [String(repeating: "x", count: 1_000), String(repeating: "x", count: 1_001), "nul\\u0000x", "\\u001b[31m", "Zoë 😀", " padded "])
        let at = part("\(now)", ["0", "-1", "140737488355327", "140737488355328", "\(Int64.max)", "1e-400"])
        let action: String
        if creates {
            action = #""action":"create","fields":{"last_name":"\#(value)"},"stage":"\#(part("lead", ["customer", "won"]))""#
        } else {
            action = pick([
                #""action":"set","fields":{"city":"\#(value)"}"#,
                #""action":"activity","type":"call","at":\#(at)"#,
                #""action":"activity","type":"note","text":"\#(String(repeating: "n", count: part(200, [20_000, 20_001])))""#,
                #""action":"consent","channel":"email","granted":true,"how":"\#(value)","at":\#(at)"#,
                #""action":"merge","into":"\#(part(existing ?? record, [RecordID.random(using: &rng).rawValue]))""#,
                #""action":"tag","tags":["\#(String(repeating: "t", count: part(8, [64, 65])))"]"#,
                #""action":"stage","stage":"sql""#, #""action":"delete""#, #""action":"restore""#, #""action":"erase""#,
            ])
        }
        let text = HostileFleetTests.op(seq: seq, hlc: "[\(wall),\(counter)]", record: record, action: action, deps: deps)
        return Drawn(text: text, record: record, creates: creates)
    }
}
