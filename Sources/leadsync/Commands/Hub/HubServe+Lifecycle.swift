import LeadSyncAdmin
import LeadSyncNetwork
import Logging
import ServiceLifecycle
import UnixSignals

/// `hub serve`'s services under one `ServiceGroup`: SIGINT/SIGTERM start a graceful shutdown (the
/// sync server drains first, then the admin server stops); past the bound it becomes cancellation.
extension HubServe {
    /// Runs until SIGINT/SIGTERM and the graceful shutdown are over.
    /// `announce` runs once the signals are trapped, before the sync server accepts.
    func runServices(
        server: HubServer, admin: AdminServer?, logger: Logger, announce: @escaping @Sendable () -> Void
    ) async throws {
        // Shut down in reverse order: the sync server first, while /metrics and /readyz still answer.
        var services: [any Service] = []
        if let admin { services.append(try Self.adminService(admin)) }
        services.append(SyncService(server: server, logger: logger, announce: announce))
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The sync server closes its stragglers after --shutdown-timeout; this is the backstop.
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(shutdownTimeout * 1000) + 2_000)
        configuration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// The sync server as a service: a graceful shutdown stops accepting and lets open sessions end
/// at a message boundary (``HubServer/shutdown()``), never cancelling a batch being committed.
struct SyncService: Service, CustomStringConvertible {
    let server: HubServer
    let logger: Logger
    /// Called as the service starts: the group has trapped SIGINT/SIGTERM by then.
    let announce: @Sendable () -> Void

    var description: String { "sync server" }

    func run() async throws {
        announce()
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: { [server, logger] in
            logger.notice("shutting down: no new sessions; open ones end at their next message boundary")
            Task { await server.shutdown() }
        }
    }
}
