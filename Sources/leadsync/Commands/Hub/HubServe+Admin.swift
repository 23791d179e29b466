import ArgumentParser
import Foundation
import LeadSyncAdmin
import LeadSyncHub
import LeadSyncTLS
import Logging
import Prometheus
import ServiceLifecycle

/// `hub serve --admin-port`: the admin HTTP server beside the sync server, in the same process.
extension HubServe {
    /// Whether the admin server serves HTTPS: always on a non-loopback address, else with --admin-tls.
    var adminUsesTLS: Bool { adminTLS || !AdminServerConfiguration.isLoopback(adminHost) }

    /// Refuses a bad admin port before anything starts.
    func validateAdmin() throws {
        guard adminPort.map({ (0...65535).contains($0) }) ?? true else { throw ValidationError("--admin-port must be 0-65535") }
        guard adminPort != nil || !adminTLS else { throw ValidationError("--admin-tls needs --admin-port") }
    }

    /// The admin server's configuration, with the hub's certificate (or --tls-cert/--tls-key)
    /// when it serves HTTPS; nil without --admin-port.
    func adminConfiguration(of hub: HubHome) throws -> AdminServerConfiguration? {
        guard let adminPort else { return nil }
        var tls: TLSServerIdentity?
        if adminUsesTLS {
            if let tlsCert, let tlsKey {
                tls = try TLSServerIdentity(certificatePath: tlsCert, keyPath: tlsKey)
            } else {
                _ = try hub.ensureCertificateReporting()
                tls = try TLSServerIdentity(certificatePath: hub.certificatePath, keyPath: hub.keyPath)
            }
        }
        do {
            return try AdminServerConfiguration(host: adminHost, port: adminPort, tls: tls).validated()
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The store the sync server uses (counted into the metrics when the admin server runs) and the
    /// admin server, if asked for.
    func withAdmin(_ store: any HubStore, hub: HubHome, logger: Logger) throws -> (store: any HubStore, admin: AdminServer?) {
        guard let configuration = try adminConfiguration(of: hub) else { return (store, nil) }
        let registry = PrometheusCollectorRegistry()
        let metrics = HubMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let observed = ObservedHubStore(store, metrics: metrics)
        var adminLogger = logger
        adminLogger[metadataKey: "server"] = "admin"
        let admin = try AdminServer(
            configuration: configuration, store: observed, metrics: metrics, registry: registry, logger: adminLogger)
        return (observed, admin)
    }

    /// The admin server as a service of the hub's group; prints 'admin listening on HOST:PORT'
    /// once bound.
    static func adminService(_ admin: AdminServer) throws -> any Service {
        let host = format(host: admin.configuration.host)
        return try admin.service { port in
            FileHandle.standardOutput.write(Data("admin listening on \(host):\(port)\n".utf8))
        }
    }
}
