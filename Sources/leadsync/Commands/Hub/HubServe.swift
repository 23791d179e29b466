import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncTLS
import Logging
import NIOCore

struct HubServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve replicas' syncs until SIGINT or SIGTERM.",
        discussion: """
            Prints 'listening on HOST:PORT' on standard output once bound (with --port 0 the system \
            picks the port). Logs go to standard error. Serves TLS with the hub home's certificate \
            (made by 'hub init'; a home made before TLS gets one now), or with --tls-cert/--tls-key; \
            plaintext only with --plaintext, and then replicas must pass --plaintext too. On SIGINT/SIGTERM the hub stops accepting, \
            ends open sessions at their next message boundary with 'shutting_down' (a batch being \
            committed finishes and is acknowledged first) and exits 0; sessions still open after \
            --shutdown-timeout seconds are closed.

            With --database postgresql://USER@HOST:PORT/DATABASE (or $LEADSYNC_HUB_DATABASE) the hub's \
            data is in PostgreSQL, and any number of 'hub serve' processes may serve the same \
            database at once, on one machine or several (behind a TCP load balancer): a replica may \
            push to one and pull from another. Such a hub has no home certificate: pass \
            --tls-cert/--tls-key (all processes the same), or --plaintext behind a TLS-terminating \
            proxy. --database-threads then sizes this process's connection pool (two connections a thread).
            """)

    @OptionGroup var home: HubHomeOptions

    @Option(help: "Address to bind (loopback by default; 0.0.0.0 or :: to serve a network).")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port: Int

    @Option(help: ArgumentHelp(
        "PEM certificate chain to serve, leaf first (default: the home's tls-cert.pem).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Flag(help: "Serve without TLS (e.g. behind a TLS-terminating proxy); replicas need --plaintext.")
    var plaintext = false

    @Option(help: "Authenticated sessions served at once; more are refused with 'busy'. Connections still to say 'hello' never take these places.")
    var maxConnections = 256

    @Option(help: "Seconds a new connection has to send 'hello'.")
    var helloTimeout = 10.0

    @Option(help: "Connections still to say 'hello', from all addresses together; more are refused with 'busy'.")
    var maxPending = AdmissionLimits.maxPendingDefault

    @Option(help: "Connections still to say 'hello' from one IP address; more from it are refused with 'busy'.")
    var maxPendingPerAddress = AdmissionLimits.maxPendingPerAddressDefault

    @Option(help: "Seconds an operation's clock may be ahead of the hub's before it is refused with 'clock_ahead' (the rep must fix the laptop's clock).")
    var maxClockAhead = Double(ClockPolicy.defaultMaxAheadMillis / 1000)

    @Option(help: "Seconds the hub waits for a client's next message.")
    var idleTimeout = 60.0

    @Option(help: "Longest line accepted, in bytes.")
    var maxLineBytes = Limits.maxLineBytesDefault

    @Option(help: ArgumentHelp(
        "Bytes of received lines all sessions hold decoded at once, in MiB; a session whose pushed batch does not fit waits its turn. Bounds the hub's memory when many reps push together.",
        valueName: "MiB"))
    var maxDecodingMib = HubServerConfiguration.decodeBudgetBytesDefault >> 20

    @Option(help: "Seconds a shutdown (SIGINT/SIGTERM) waits for open sessions to end before closing them.")
    var shutdownTimeout = 10.0

    @Option(help: "Threads for database work.")
    var databaseThreads = 4

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Log format on standard error: text, or json (one object per line, for log shippers).")
    var logFormat = "text"

    @Option(help: "Also serve the admin page, JSON API and metrics on this port (0 picks one). See Docs/admin-api.md.")
    var adminPort: Int?

    @Option(help: "Address of the admin server. A non-loopback address is served over HTTPS with the hub's certificate (or --tls-cert/--tls-key).")
    var adminHost = "127.0.0.1"

    @Flag(help: "Serve the admin server over HTTPS on a loopback address too (e.g. behind an SSH tunnel, or to test).")
    var adminTLS = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard maxConnections > 0, helloTimeout > 0, idleTimeout > 0, databaseThreads > 0, maxPending > 0,
              maxPendingPerAddress > 0, (0...1e9).contains(maxClockAhead)
        else {
            throw ValidationError("limits must be positive")
        }
        guard (0.1...3600).contains(shutdownTimeout) else { throw ValidationError("--shutdown-timeout must be 0.1-3600 seconds") }
        guard maxLineBytes >= 64 << 10 else { throw ValidationError("--max-line-bytes must be at least 65536") }
        guard (1...65_536).contains(maxDecodingMib) else { throw ValidationError("--max-decoding-mib must be 1-65536") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json, not '\(logFormat)'") }
        try validateAdmin()
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: pass both, or neither to use the home's certificate")
        }
        guard !(plaintext && tlsCert != nil) else { throw ValidationError("--plaintext serves no certificate: drop --tls-cert/--tls-key") }
    }

    /// TLS with --tls-cert/--tls-key or the home's certificate, or plaintext when asked for.
    func serverTransport(of location: HubLocation) throws -> ServerTransport {
        if plaintext { return .plaintext }
        if let tlsCert, let tlsKey { return .tls(try TLSServerIdentity(certificatePath: tlsCert, keyPath: tlsKey)) }
        guard let hub = location.home else {
            throw CLIError(
                "a PostgreSQL hub has no home certificate: pass --tls-cert FILE --tls-key FILE (the same on every process; "
                    + "'hub init --database URL --certificate-dir DIR' makes a pair), or --plaintext behind a TLS-terminating proxy")
        }
        _ = try hub.ensureCertificateReporting()
        return .tls(try TLSServerIdentity(certificatePath: hub.certificatePath, keyPath: hub.keyPath))
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "leadsync.hub")
        let location = try home.location
        // Held until the process ends: 'hub restore' refuses to swap a home's files under a serving
        // hub. A database has no such lock: any number of processes serve it, and restoring one
        // is pg_restore's business (Docs/operating-a-hub.md).
        let lock = try location.home.map { try ServeLock.serving(try HubHomeOptions.existingHub(at: $0.directory)) }
        defer { withExtendedLifetime(lock) {} }
        let transport = try serverTransport(of: location)
        let opened = try await openHub(location, serving: true, databaseThreads: databaseThreads)
        let limits = Limits(
            maxLineBytes: maxLineBytes, helloTimeoutMillis: Int(helloTimeout * 1000),
            idleTimeoutMillis: Int(idleTimeout * 1000), maxConnections: maxConnections)
        do {
            let served = try withAdmin(opened.hub, location: location, logger: logger)
            let server: HubServer
            do {
                server = try await HubServer.bind(
                    configuration: HubServerConfiguration(
                        host: host, port: port, transport: transport, limits: limits,
                        shutdownGracePeriod: .milliseconds(Int64(shutdownTimeout * 1000)),
                        clockPolicy: ClockPolicy(maxAheadMillis: Int64(maxClockAhead * 1000)),
                        admission: AdmissionLimits(maxPending: maxPending, maxPendingPerAddress: maxPendingPerAddress),
                        decodeBudgetBytes: maxDecodingMib << 20),
                    store: served.store, logger: logger)
            } catch {
                throw bindFailure(error)
            }
            switch transport {
            case .tls(let identity):
                logger.info("serving", metadata: [
                    "home": "\(location.description)", "hub": "\(server.hubID)",
                    "tls": "\(identity.fingerprint)", "certificate": "\(identity.certificatePath)",
                ])
            case .plaintext:
                logger.warning("""
                    serving PLAINTEXT (--plaintext): tokens and leads cross the network readable; \
                    use only behind a TLS-terminating proxy or on a network you trust
                    """, metadata: ["home": "\(location.description)", "hub": "\(server.hubID)"])
            }
            // Written straight to the descriptor once SIGINT/SIGTERM are trapped (a signal sent as
            // soon as this line is read shuts the hub down gracefully): scripts and tests read the port from it.
            let listening = "listening on \(Self.format(host: host)):\(server.port)\n"
            try await runServices(server: server, admin: served.admin, logger: logger) {
                FileHandle.standardOutput.write(Data(listening.utf8))
            }
        } catch {
            await opened.close()
            throw error
        }
        await opened.close()
        logger.info("hub stopped")
    }

    /// A bind failure in the operator's words (never a syscall name or errno).
    func bindFailure(_ error: any Error) -> any Error {
        let address = "\(Self.format(host: host)):\(port)"
        let code = (error as? IOError)?.errnoCode
        switch code {
        case EADDRINUSE:
            return CLIError(
                "port \(port) is already in use on \(host) (another hub or program listens there): the hub did not "
                    + "start and nothing was changed; stop that program, or choose another port with --port",
                status: .unavailable)
        case EACCES:
            return CLIError(
                "not allowed to listen on \(address) (ports below 1024 need administrator rights): the hub did not "
                    + "start; choose a port of 1024 or more, e.g. --port 7420",
                status: .permissionDenied)
        case EADDRNOTAVAIL:
            return CLIError(
                "\(host) is not an address of this machine: the hub did not start; pass --host with one of its "
                    + "addresses (127.0.0.1, 0.0.0.0 for every network)",
                status: .usage)
        default:
            return error
        }
    }

    static func format(host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
