import ArgumentParser
import Foundation
import LeadSyncAdmin
import LeadSyncHub
import Logging
import Prometheus

/// `hub serve --admin-port`: the admin HTTP server beside the sync server, in the same process.
extension HubServe {
    var adminConfiguration: AdminServerConfiguration? {
        adminPort.map { AdminServerConfiguration(host: adminHost, port: $0) }
    }

    /// Refuses a non-loopback admin host or a bad port before anything starts.
    func validateAdmin() throws {
        do { _ = try adminConfiguration?.validated() } catch { throw ValidationError(error.description) }
    }

    /// The store the sync server uses (counted into the metrics when the admin server runs) and the
    /// admin server, if asked for.
    func withAdmin(_ store: any HubStore, logger: Logger) throws -> (store: any HubStore, admin: AdminServer?) {
        guard let configuration = adminConfiguration else { return (store, nil) }
        let registry = PrometheusCollectorRegistry()
        let metrics = HubMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let observed = ObservedHubStore(store, metrics: metrics)
        var adminLogger = logger
        adminLogger[metadataKey: "server"] = "admin"
        let admin = try AdminServer(
            configuration: configuration, store: observed, metrics: metrics, registry: registry, logger: adminLogger)
        return (observed, admin)
    }

    /// Serves the admin server until cancelled (the hub's shutdown); prints 'admin listening on
    /// HOST:PORT' once bound.
    static func runAdmin(_ admin: AdminServer) async throws {
        let host = format(host: admin.configuration.host)
        do {
            try await admin.run { port in
                FileHandle.standardOutput.write(Data("admin listening on \(host):\(port)\n".utf8))
            }
        } catch where Task.isCancelled {
            // Stopped by the shutdown, not failed.
        }
    }
}
