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

    /// Over TLS, the hub's certificate is made first (`hub serve` for a home, here for PostgreSQL); clients pin it.
    init(plaintext: Bool, postgresProcesses: Int?) async throws {
        directory = try TemporaryDirectory("bench-hub")
        let tlsHome = HubHome(directory: directory.url)
        let tlsArguments: [String]
        if plaintext {
            tlsArguments = ["--plaintext"]
        } else {
            let certificate = try HubCertificate.generate(names: ["localhost", "127.0.0.1", "::1"])
            try certificate.write(certificateTo: tlsHome.certificatePath, keyTo: tlsHome.keyPath)
            tlsArguments = ["--tls-cert", tlsHome.certificatePath, "--tls-key", tlsHome.keyPath]
        }
        if let count = postgresProcesses {
            let database = try await PostgresTestDatabase.create()
            let store = try await PostgresHubStore.initialize(database.location)
            postgres = (database, store)
            home = nil
            processes = try (0..<max(1, count)).map { _ in try HubProcess(location: .database(database.url), arguments: tlsArguments) }
            kind = "PostgreSQL, \(max(1, count)) hub process\(count == 1 ? "" : "es") over one database"
        } else {
            home = try HubHome.initialize(at: directory.url)
            postgres = nil
            processes = [try HubProcess(home: directory.url.path, arguments: tlsArguments)]
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

    /// A client of the replica's process: rep N syncs with process N mod the process count.
    func client(for replica: TestReplica, maxLines: Int? = nil, traffic: (@Sendable (TrafficDirection, String) -> Void)? = nil) -> SyncClient {
        let number = Int(replica.node.rawValue.filter(\.isNumber)) ?? 0
        return SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: processes[number % processes.count].port, token: replica.token, transport: transport,
                limits: Limits(), connectTimeout: .seconds(5), idleTimeout: .seconds(60), maxLines: maxLines, traffic: traffic),
            logger: .quiet)
    }

    func operationCount() async throws -> Int {
        if let postgres { return try await postgres.store.status().operations }
        return try home!.openStore().counts().operations
    }

    /// CPU time of every hub process together.
    func cpuSeconds() -> Double {
        processes.reduce(0) { $0 + processCPUSeconds(pid: $1.pid) }
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
