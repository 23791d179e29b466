import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// One address floods the hub: a client re-opens connections as fast as it can while another
/// holds 2,000 idle ones, both from 127.0.0.2 (Linux routes all of 127.0.0.0/8 to loopback). An
/// honest rep syncing from 127.0.0.1 meanwhile must get through (issue 13). The hub is a
/// `hub serve` subprocess, the rep runs `leadsync sync`, and the attackers are plain blocking
/// sockets on threads of their own: nothing here waits on the test process's task pool, which
/// other suites may keep busy.
@Suite(.serialized) struct FloodTests {
    /// The attack stops once the rep is done, and after this long at the most.
    static let longestAttack: TimeInterval = 30
    static let honestSyncs = 20
    static let held = 2_000
    static let attacker = "127.0.0.2"

    /// What happened while the attack ran.
    struct Outcome: Sendable {
        let opened: Int
        let churned: Int
        let duringAttack: Int
        let failures: [String]
        let unacknowledged: Int?
    }

    @Test(.timeLimit(.minutes(3))) func anAddressFloodingTheHubDoesNotKeepAnHonestRepOut() async throws {
        try Self.raiseOpenFileLimit(to: 8_192)
        let outcome = try await onDedicatedThread { try Self.flood() }
        #expect(outcome.opened == Self.held, "the holding attacker opened \(outcome.opened) connections")
        #expect(outcome.churned >= 50, "the churning attacker hardly ran: \(outcome.churned) connections")
        #expect(outcome.duringAttack >= 3, "only \(outcome.duringAttack) syncs ran during the attack")
        #expect((Self.honestSyncs - outcome.failures.count) * 100 >= Self.honestSyncs * 95,
                "\(outcome.failures.count) of \(Self.honestSyncs) syncs failed: \(outcome.failures.prefix(3))")
        #expect(outcome.unacknowledged == 0, "every lead reached the hub")
    }

    static func flood() throws -> Outcome {
        let root = try TemporaryDirectory("flood")
        let hubHome = root.appending("hub").path
        let repHome = root.appending("rep").path
        let hub = try CLIHub(home: hubHome)
        let invitation = try hub.addNode("rep")
        let server = try hub.serve()
        defer { server.stop() }
        guard try LeadSyncBinary.run(invitation.initArguments(port: server.port) + ["--home", repHome]).succeeded
        else { throw FloodSetupError.step("init") }
        let rep = try Store.open(path: repHome + "/replica.sqlite")

        let attack = AttackState(until: Date().addingTimeInterval(longestAttack))
        let churner = Thread { reopenInALoop(port: server.port, attack: attack) }
        let holder = Thread { holdIdle(held, port: server.port, attack: attack) }
        churner.start()
        holder.start()
        // The rep starts once the idle connections are all open.
        attack.waitUntil { $0.opened >= held }

        var duringAttack = 0
        var failures: [String] = []
        for round in 0..<honestSyncs {
            _ = try rep.add(fields: ["last_name": "Round \(round)"])
            if !attack.isOver { duringAttack += 1 }
            let result = try LeadSyncBinary.run(["sync", "--home", repHome])
            if !result.succeeded { failures.append(result.stderr) }
        }
        let churned = attack.reopened
        attack.stop()
        attack.waitUntil { $0.finishedThreads == 2 }

        let status = try LeadSyncBinary.run(["status", "--json", "--home", repHome])
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return Outcome(
            opened: attack.opened, churned: churned, duringAttack: duringAttack, failures: failures,
            unacknowledged: report?["unacknowledged_operations"] as? Int)
    }

    /// Connects from the attacker's address and closes again, as fast as it can, until the attack
    /// is over.
    static func reopenInALoop(port: Int, attack: AttackState) {
        while !attack.isOver {
            let socket = connect(port: port)
            if socket >= 0 { close(socket) }
            attack.countReopened()
        }
        attack.threadFinished()
    }

    /// Opens `count` connections from the attacker's address and keeps every one, saying nothing,
    /// until the attack is over.
    static func holdIdle(_ count: Int, port: Int, attack: AttackState) {
        var sockets: [Int32] = []
        while sockets.count < count, !attack.isOver {
            let socket = connect(port: port)
            guard socket >= 0 else { continue }
            sockets.append(socket)
            attack.countOpened()
        }
        attack.waitUntil { $0.stopped }
        for socket in sockets { close(socket) }
        attack.threadFinished()
    }

    /// A blocking TCP connection from 127.0.0.2 to the hub; -1 if it failed.
    static func connect(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return -1 }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_port = 0
        inet_pton(AF_INET, attacker, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    /// Enough descriptors for the attackers' sockets.
    static func raiseOpenFileLimit(to wanted: rlim_t) throws {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return }
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        try #require(setrlimit(resource, &limit) == 0, "cannot raise the open-file limit to \(wanted)")
    }
}

enum FloodSetupError: Error {
    case step(String)
}

/// What the attacker threads and the test share: progress counters and when to stop.
final class AttackState: @unchecked Sendable {
    struct Progress {
        var stopped = false
        var opened = 0
        var reopened = 0
        var finishedThreads = 0
    }

    private let condition = NSCondition()
    private let deadline: Date
    private var progress = Progress()

    init(until deadline: Date) {
        self.deadline = deadline
    }

    var isOver: Bool { condition.withLock { progress.stopped } || Date() >= deadline }
    var opened: Int { condition.withLock { progress.opened } }
    var reopened: Int { condition.withLock { progress.reopened } }

    func countOpened() { update { $0.opened += 1 } }
    func countReopened() { update { $0.reopened += 1 } }
    func threadFinished() { update { $0.finishedThreads += 1 } }
    func stop() { update { $0.stopped = true } }

    private func update(_ change: (inout Progress) -> Void) {
        condition.withLock {
            change(&progress)
            condition.broadcast()
        }
    }

    /// Blocks until `done` holds, or the attack's deadline passes (then the attack stops).
    func waitUntil(_ done: (Progress) -> Bool) {
        condition.withLock {
            while !done(progress) {
                if Date() >= deadline { progress.stopped = true }
                if Date() >= deadline.addingTimeInterval(10) { return }
                _ = condition.wait(until: Date().addingTimeInterval(0.1))
            }
        }
    }
}
