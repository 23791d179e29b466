import Foundation
import LeadSyncCore
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTestSupport
import NIOCore
import NIOPosix
import Testing

/// One address floods the hub: a client re-opens connections as fast as it can while another
/// tries to hold 2,000 idle ones, both from 127.0.0.2 (Linux routes all of 127.0.0.0/8 to
/// loopback). An honest rep syncing from 127.0.0.1 meanwhile must get through (issue 13).
@Suite(.serialized) struct FloodTests {
    static let attack: Duration = .seconds(10)
    static let attacker = "127.0.0.2"

    @Test func anAddressFloodingTheHubDoesNotKeepAnHonestRepOut() async throws {
        try Self.raiseOpenFileLimit(to: 8_192)
        // The attackers run on their own loop, as if on another machine.
        let attackers = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await withTestHub(limits: Limits(helloTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, maxConnections: 64)) { hub in
            let rep = try hub.addReplica("rep")
            let end = ContinuousClock.now + Self.attack
            async let churned = Self.reopenInALoop(port: hub.port, until: end, group: attackers)
            async let held = Self.holdIdle(2_000, port: hub.port, until: end, group: attackers)
            var attempts = 0
            var errors: [String] = []
            while ContinuousClock.now < end {
                try rep.addLeads(1, prefix: "round\(attempts)")
                attempts += 1
                do {
                    try await hub.sync(rep)
                } catch {
                    errors.append("\(error)")
                }
            }
            let (reopened, holding) = try await (churned, held)
            #expect(reopened >= 200, "the churning attacker hardly ran: \(reopened) connections")
            #expect(holding == 2_000, "the holding attacker opened \(holding) connections")
            #expect(attempts >= 10, "only \(attempts) syncs in \(Self.attack)")
            #expect((attempts - errors.count) * 100 >= attempts * 95, "\(errors.count) of \(attempts) syncs failed: \(errors.prefix(3))")
            // Once the flood is over, one more sync leaves hub and rep alike.
            try await hub.sync(rep)
            try expectConverged([rep.store, hub.store])
        }
        try await attackers.shutdownGracefully()
    }

    /// Connects from the attacker's address and closes again, as fast as it can, until `end`.
    static func reopenInALoop(port: Int, until end: ContinuousClock.Instant, group: any EventLoopGroup) async throws -> Int {
        var count = 0
        while ContinuousClock.now < end {
            if let channel = try? await connect(port: port, group: group) {
                try? await channel.close()
            }
            count += 1
        }
        return count
    }

    /// Opens up to `count` connections from the attacker's address and keeps every one the hub
    /// leaves open, saying nothing, until `end`. Returns how many it opened.
    static func holdIdle(_ count: Int, port: Int, until end: ContinuousClock.Instant, group: any EventLoopGroup) async throws -> Int {
        var channels: [any Channel] = []
        while channels.count < count, ContinuousClock.now < end {
            guard let channel = try? await connect(port: port, group: group) else { continue }
            channels.append(channel)
        }
        let opened = channels.count
        try await Task.sleep(until: end)
        for channel in channels { try? await channel.close() }
        return opened
    }

    static func connect(port: Int, group: any EventLoopGroup) async throws -> any Channel {
        try await ClientBootstrap(group: group)
            .bind(to: SocketAddress(ipAddress: attacker, port: 0))
            .connectTimeout(.seconds(2))
            .connect(host: "127.0.0.1", port: port)
            .get()
    }

    /// Enough descriptors for the attackers' sockets and the hub's side of them.
    static func raiseOpenFileLimit(to wanted: rlim_t) throws {
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return }
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        try #require(setrlimit(resource, &limit) == 0, "cannot raise the open-file limit to \(wanted)")
    }
}
