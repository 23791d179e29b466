import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore

/// The hub under measurement: `leadsync hub serve` over a SQLite home (one process), or N
/// `hub serve --database` processes over a fresh PostgreSQL database (`BENCH_POSTGRES_PROCESSES=N`,
/// server from `LEADSYNC_TEST_POSTGRES_URL`), reps spread over the processes in turn.
final class BenchHub: Sendable {
    let directory: TemporaryDirectory
    let processes: [HubProcess]
    let transport: ClientTransport
    /// Human-readable: which backend, how many processes.
    let kind: String
    private let home: HubHome?
    private let postgres: (database: PostgresTestDatabase, store: PostgresHubStore)?

    /// Over TLS, the hub's certificate is made first and clients pin it. `reps` reps connect at
    /// once, all from 127.0.0.1: the hub admits that many pending connections from one address
    /// (its default is a booth's worth).
    init(plaintext: Bool, reps: Int, postgresProcesses: Int?) async throws {
        directory = try TemporaryDirectory("bench-hub")
        let tlsHome = HubHome(directory: directory.url)
        var arguments = ["--max-pending-per-address", "\(max(reps + 1, AdmissionLimits.maxPendingPerAddressDefault))",
                         "--max-pending", "\(max(reps + 1, AdmissionLimits.maxPendingDefault))",
                         "--max-connections", "\(max(reps + 1, 256))"]
        if plaintext {
            arguments.append("--plaintext")
        } else {
            let certificate = try HubCertificate.generate(names: ["localhost", "127.0.0.1", "::1"])
            try certificate.write(certificateTo: tlsHome.certificatePath, keyTo: tlsHome.keyPath)
            arguments += ["--tls-cert", tlsHome.certificatePath, "--tls-key", tlsHome.keyPath]
        }
        if let count = postgresProcesses {
            let database = try await PostgresTestDatabase.create()
            let store = try await PostgresHubStore.initialize(database.location)
            postgres = (database, store)
            home = nil
            processes = try (0..<max(1, count)).map { _ in try HubProcess(location: .database(database.url), arguments: arguments) }
            kind = "PostgreSQL, \(max(1, count)) hub process\(count == 1 ? "" : "es") over one database"
        } else {
            home = try HubHome.initialize(at: directory.url)
            postgres = nil
            processes = [try HubProcess(home: directory.url.path, arguments: arguments)]
            kind = "SQLite, one hub process"
        }
        transport = plaintext ? .plaintext : .tls(.pinned(try TLSServerIdentity.fingerprint(ofCertificateAt: tlsHome.certificatePath)))
    }

    /// Registers `node` on the hub and makes a fresh replica of it.
    func addReplica(_ node: String) async throws -> TestReplica {
        let id = try NodeID(validating: node)
        let token = if let postgres { try await postgres.store.addNode(id) } else { try home!.openRegistry().addNode(id) }
        return try TestReplica(node: id, token: token)
    }

    /// A client of `node`'s replica: rep N syncs with process N mod the process count.
    func client(
        node: NodeID, store: Store, token: String, maxLines: Int? = nil,
        traffic: (@Sendable (TrafficDirection, String) -> Void)? = nil
    ) -> SyncClient {
        let number = Int(node.rawValue.filter(\.isNumber)) ?? 0
        return SyncClient(
            store: store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: processes[number % processes.count].port, token: token, transport: transport,
                limits: Limits(), connectTimeout: .seconds(5), idleTimeout: .seconds(60), maxLines: maxLines, traffic: traffic),
            logger: .quiet)
    }

    func operationCount() async throws -> Int {
        if let postgres { return try await postgres.store.status().operations }
        return try home!.openStore().counts().operations
    }

    /// Bytes the hub's op store takes on disk (`hub.sqlite` after a checkpoint); nil for PostgreSQL.
    func storeBytes() throws -> Int? {
        guard let home else { return nil }
        try home.openStore().checkpoint()
        return databaseBytes(home.storePath)
    }

    /// CPU time of every hub process together.
    func cpuSeconds() -> Double {
        processes.reduce(0) { $0 + processCPUSeconds(pid: $1.pid) }
    }

    /// The largest peak memory of the hub processes.
    func peakMemory() -> Double {
        processes.map { peakMemoryMiB(pid: $0.pid) }.max() ?? .nan
    }

    /// SIGTERM to every process; the PostgreSQL database is dropped.
    func stop() async {
        for process in processes where (try? process.terminate(within: 10)) == nil {
            print("warning: a hub process did not stop within 10 s of SIGTERM")
        }
        if let postgres {
            await postgres.store.close()
            try? await postgres.database.drop()
        }
    }
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
