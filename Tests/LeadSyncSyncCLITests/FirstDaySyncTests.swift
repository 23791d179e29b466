import Foundation
import LeadSyncCore
#if canImport(Glibc)
import Glibc
#endif
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Issue 17 with a hub: a stranded replica recovers with `leadsync config`, sync failures have exit
/// codes that say whether to retry, and failures read in the user's words.
@Suite(.serialized) struct FirstDaySyncTests {
    // MARK: 1. A stranded replica

    @Test(.timeLimit(.minutes(5))) func aReplicaGetsItsHubAndANewTokenWithoutLosingAnything() async throws {
        try await onDedicatedThread { try Self.recovery() }
    }

    static func recovery() throws {
        let hub = try ServedHub("recovery")
        let anna = hub.root.appending("anna").path
        try ok(["init", "--node", "anna"], anna)
        let id = try ok(["add", "--first-name", "Jürgen", "--last-name", "Müller", "--email", "j@mueller.example",
                         "--company", "Müller AG", "--title", "CEO", "--source", "badge_scan", "--note", "demo"], anna)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(["log", id, "--type", "meeting", "--text", "Booth talk"], anna)
        try ok(["consent", id, "--channel", "email", "--granted", "--how", "booth form"], anna)
        let noHub = try LeadSyncBinary.run(["sync"], home: anna)
        #expect(noHub.status == 78 && noHub.stderr.contains("config set hub"), "\(noHub.stderr)")

        try ok(["config", "set", "hub", hub.address], anna)
        try ok(["config", "set", "fingerprint", hub.fingerprint], anna)
        let noToken = try LeadSyncBinary.run(["sync"], home: anna)
        #expect(noToken.status == 78 && noToken.stderr.contains("config set token -"), "\(noToken.stderr)")
        try ok(["config", "set", "token", "-"], anna, input: try hub.addNode("anna") + "\n")
        try ok(["sync"], anna)
        let before = try snapshot(id, anna)

        #expect(try LeadSyncBinary.run(["hub", "revoke-node", "anna", "--home", hub.hubHome]).succeeded)
        try ok(["note", id, "written while revoked"], anna)
        let revoked = try LeadSyncBinary.run(["sync"], home: anna)
        #expect(revoked.status == 77, "\(revoked.stderr)")
        #expect(revoked.stderr.contains("revoked") && revoked.stderr.contains("config set token -"))
        #expect(revoked.stderr.contains("retrying will not help"), "\(revoked.stderr)")

        try ok(["config", "set", "token", "-"], anna, input: try hub.addNode("anna", reissue: true) + "\n")
        try ok(["sync"], anna)
        let after = try snapshot(id, anna)
        #expect(after.score == before.score)
        #expect(after.activities == before.activities + 1)
        #expect(after.consent == "granted")

        let ben = try hub.makeReplica("ben")
        try ok(["sync"], ben)
        #expect(try snapshot(id, ben) == after, "the hub holds everything the recovered replica wrote")
    }

    struct LeadSnapshot: Equatable {
        let score: Int
        let activities: Int
        let consent: String?
    }

    static func snapshot(_ id: String, _ home: String) throws -> LeadSnapshot {
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(ok(["show", id, "--json"], home).utf8)) as? [String: Any])
        let scored = try #require(try JSONSerialization.jsonObject(with: Data(ok(["score", id, "--json"], home).utf8)) as? [String: Any])
        let consent = (shown["consent"] as? [String: Any])?["email"] as? [String: Any]
        return LeadSnapshot(
            score: try #require(scored["score"] as? Int), activities: (shown["timeline"] as? [Any])?.count ?? -1,
            consent: consent?["status"] as? String)
    }

    // MARK: 5 and 6. Exit codes and messages

    @Test(.timeLimit(.minutes(2))) func anUnreachableHubIsATemporaryFailure() async throws {
        try await onDedicatedThread {
            let listener = try LoopbackListener()
            let port = listener.port
            listener.close()
            let home = try TemporaryDirectory("unreachable")
            try Self.ok(["init", "--node", "anna", "--hub", "127.0.0.1:\(port)", "--token", "t0ken", "--plaintext"], home.path)
            let result = try LeadSyncBinary.run(["sync"], home: home.path)
            #expect(result.status == 69, "\(result.stderr)")
            #expect(result.stderr.contains("cannot reach the hub") && result.stderr.contains("retrying later can help"))
        }
    }

    @Test(.timeLimit(.minutes(2))) func aDroppedConnectionIsTemporaryAndReadsInPlainWords() async throws {
        try await onDedicatedThread {
            let listener = try LoopbackListener()
            let home = try TemporaryDirectory("dropped")
            try Self.ok(["init", "--node", "anna", "--hub", "127.0.0.1:\(listener.port)", "--token", "t0ken", "--plaintext"], home.path)
            let hub = Thread { listener.acceptReadLineAndReset() }
            hub.start()
            let result = try LeadSyncBinary.run(["sync"], home: home.path)
            #expect(result.status == 75, "\(result.stderr)")
            #expect(result.stderr.contains("connection to the hub was lost"), "\(result.stderr)")
            for raw in ["I/O on closed channel", "descriptor", "errno", "Connection reset by peer"] {
                #expect(!result.stderr.contains(raw), "\(result.stderr)")
            }
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test(.timeLimit(.minutes(2))) func aBusyPortSaysSoAndWhatToDo() async throws {
        try await onDedicatedThread {
            let listener = try LoopbackListener()
            let home = try TemporaryDirectory("busy")
            #expect(try LeadSyncBinary.run(["hub", "init", "--home", home.path]).succeeded)
            let result = try LeadSyncBinary.run(["hub", "serve", "--home", home.path, "--port", "\(listener.port)"])
            #expect(result.status == 69, "\(result.stderr)")
            #expect(result.stderr.contains("port \(listener.port) is already in use") && result.stderr.contains("--port"))
            #expect(!result.stderr.contains("bind(") && !result.stderr.contains("errno"), "\(result.stderr)")
        }
    }

    @Test(.timeLimit(.minutes(5))) func aFullLocalDiskDuringAPullBlamesTheDiskNotTheHub() async throws {
        try await onDedicatedThread { try Self.fullDisk() }
    }

    static func fullDisk() throws {
        let hub = try ServedHub("disk-full")
        let anna = try hub.makeReplica("anna")
        let store = try Store.open(path: anna + "/replica.sqlite")
        let note = String(repeating: "Gesprächsnotiz vom Messestand. ", count: 100)
        for index in 0..<600 {
            _ = try store.add(fields: ["last_name": "Kunde \(index)", "email": "k\(index)@example.com"], note: note)
        }
        try ok(["sync"], anna)

        let mountPoint = hub.root.appending("small-disk").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try Self.system("/bin/mount", ["-t", "tmpfs", "-o", "size=768k", "tmpfs", mountPoint])
        guard mount.status == 0 else {
            // Not a silent pass: the reason shows in the test log, and the rest of the suite ran.
            print("SKIPPED aFullLocalDiskDuringAPullBlamesTheDiskNotTheHub: cannot mount a tmpfs (\(mount.output)); "
                + "run the tests as root on Linux to cover it")
            return
        }
        defer { _ = try? Self.system("/bin/umount", [mountPoint]) }
        let ben = mountPoint + "/ben"
        try ok(["init", "--node", "ben", "--hub", hub.address, "--token", hub.addNode("ben"), "--fingerprint", hub.fingerprint], ben)
        let result = try LeadSyncBinary.run(["sync"], home: ben)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("disk holding the replica is full") && result.stderr.contains("Free some disk space"),
                "\(result.stderr)")
        #expect(result.stderr.contains("nothing of the failed batch was written"))
        for blame in ["hub sent something unexpected", "SQLite", "error 13", "COMMIT"] {
            #expect(!result.stderr.contains(blame), "\(result.stderr)")
        }
        let status = try LeadSyncBinary.run(["status", "--json"], home: ben)
        #expect(status.succeeded, "the replica still opens after the failed pull: \(status.stderr)")
    }

    // MARK: 7. hub status --json

    @Test(.timeLimit(.minutes(2))) func hubStatusJSONCarriesNullsForANodeThatNeverSynced() async throws {
        try await onDedicatedThread {
            let hub = try ServedHub("status-nulls")
            _ = try hub.addNode("anna")
            let result = try LeadSyncBinary.run(["hub", "status", "--json", "--home", hub.hubHome])
            #expect(result.succeeded, "\(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let node = try #require((report["nodes"] as? [[String: Any]])?.first)
            for key in ["last_sync_at", "last_address", "skew_ms"] {
                #expect(node[key] is NSNull, "\(key) missing or not null: \(node)")
            }
        }
    }

    // MARK: Helpers

    @discardableResult
    static func ok(_ arguments: [String], _ home: String, input: String? = nil) throws -> String {
        let result = try LeadSyncBinary.run(arguments, home: home, input: input)
        try #require(result.succeeded, "leadsync \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        return result.stdout
    }

    static func system(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A bare TCP listener on a loopback port: a port that is taken, or a "hub" that drops the session.
final class LoopbackListener: @unchecked Sendable {
    private var descriptor: Int32
    let port: Int

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw ServedHubError(description: "cannot listen on loopback: errno \(errno)") }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Accepts one connection, reads its first line (the `hello`), then resets the connection.
    func acceptReadLineAndReset() {
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return }
        var byte: UInt8 = 0
        while read(connection, &byte, 1) == 1, byte != UInt8(ascii: "\n") {}
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(connection, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        closeDescriptor(connection)
    }

    func close() {
        if descriptor >= 0 { closeDescriptor(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
