import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// One address floods the hub: a client re-opens connections as fast as it can while another
/// holds 2,000 idle ones, both from 127.0.0.2 (Linux routes all of 127.0.0.0/8 to loopback). An
/// honest rep syncing from 127.0.0.1 meanwhile must get through (issue 13). The hub is a
/// `hub serve` subprocess, the rep runs `leadsync sync`, the re-opening attacker is a plain
/// blocking socket on a thread of its own (nothing here waits on the test process's task pool,
/// which other suites may keep busy), and the 2,000 idle connections are held by a Python
/// subprocess: held in the test process, they pushed every descriptor it opened next (the pipes of
/// other suites' subprocesses) above 1,024, where Foundation's `Process` crashed (CI, signal 11).
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
        churner.start()
        // The rep starts once the idle connections are all open.
        let holder = try IdleHolder(port: server.port, count: held, seconds: longestAttack)
        defer { holder.release() }

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
        holder.release()
        attack.waitUntil { $0.finishedThreads == 1 }

        let status = try LeadSyncBinary.run(["status", "--json", "--home", repHome])
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return Outcome(
            opened: holder.opened, churned: churned, duringAttack: duringAttack, failures: failures,
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
    var reopened: Int { condition.withLock { progress.reopened } }

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

/// `count` idle connections from the attacker's address, held by a Python subprocess until
/// ``release()`` (or `seconds`); ``opened`` is how many it opened.
final class IdleHolder: @unchecked Sendable {
    static let script = """
        import socket, sys, time
        port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        deadline = time.time() + seconds
        held = []
        while len(held) < count and time.time() < deadline:
            s = socket.socket()
            try:
                s.bind((sys.argv[4], 0))
                s.connect(("127.0.0.1", port))
                held.append(s)
            except OSError:
                s.close()
        print(len(held), flush=True)
        sys.stdin.read()
        """
    let opened: Int
    private let process = Process()
    private let input = Pipe()

    init(port: Int, count: Int, seconds: TimeInterval) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, "\(port)", "\(count)", "\(seconds)", FloodTests.attacker]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = ""
        while !line.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            line += String(decoding: data, as: UTF8.self)
        }
        opened = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Closes the held connections (the subprocess exits).
    func release() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }
}
