import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore

/// The hub: `leadsync hub serve` on a free loopback port, with the reps registered on it.
struct BenchHub {
    let directory: TemporaryDirectory
    let home: HubHome
    let registry: NodeRegistry
    let process: HubProcess
    let transport: ClientTransport

    /// Over TLS, `hub serve` makes the home's certificate on start; clients pin it. `reps` reps
    /// connect at once, all from 127.0.0.1: the hub admits that many pending connections from
    /// one address (its default is a booth's worth).
    init(plaintext: Bool, reps: Int) throws {
        directory = try TemporaryDirectory("bench-hub")
        home = try HubHome.initialize(at: directory.url)
        registry = try home.openRegistry()
        let admission = ["--max-pending-per-address", "\(max(reps + 1, AdmissionLimits.maxPendingPerAddressDefault))",
                         "--max-pending", "\(max(reps + 1, AdmissionLimits.maxPendingDefault))",
                         "--max-connections", "\(max(reps + 1, 256))"]
        process = try HubProcess(home: directory.url.path, arguments: (plaintext ? ["--plaintext"] : []) + admission)
        transport = plaintext ? .plaintext : .tls(.pinned(try TLSServerIdentity.fingerprint(ofCertificateAt: home.certificatePath)))
    }

    /// Registers `node` on the hub and makes a fresh replica of it.
    func addReplica(_ node: String) throws -> TestReplica {
        let id = try NodeID(validating: node)
        return try TestReplica(node: id, token: try registry.addNode(id))
    }

    func client(
        store: Store, token: String, maxLines: Int? = nil, traffic: (@Sendable (TrafficDirection, String) -> Void)? = nil
    ) -> SyncClient {
        SyncClient(
            store: store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: process.port, token: token, transport: transport, limits: Limits(),
                connectTimeout: .seconds(5),
                idleTimeout: .seconds(60), maxLines: maxLines, traffic: traffic),
            logger: .quiet)
    }

    /// Bytes the hub's op store takes on disk (`hub.sqlite` and its WAL).
    var storeBytes: Int { databaseBytes(home.storePath) }
}

/// Counts the bytes of the `ops` lines clients send. It runs on the clients' path, so it only
/// reads the length: splitting every line to count its ops cost a sixth of the push's CPU time.
final class WireCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    var bytes: Int { lock.withLock { total } }

    func record(_ direction: TrafficDirection, _ line: String) {
        guard direction == .sent, line.utf8.starts(with: #"{"ops":["#.utf8) else { return }
        lock.withLock { total += line.utf8.count + 1 }
    }
}
