import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncTLS
import Logging
import NIOCore
import NIOPosix

struct HubServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve replicas' syncs until SIGINT or SIGTERM.",
        discussion: """
            Prints 'listening on HOST:PORT' on standard output once bound (with --port 0 the system \
            picks the port). Logs go to standard error. Serves TLS with the hub home's certificate \
            (made by 'hub init'; a home made before TLS gets one now), or with --tls-cert/--tls-key; \
            plaintext only with --plaintext, and then replicas must pass --plaintext too. On SIGINT/SIGTERM the hub stops accepting, \
            ends open sessions at their next message boundary (a batch being committed finishes \
            first) and exits 0.
            """)

    @OptionGroup var home: HomeOptions

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

    @Option(help: "Connections served at once; more are refused with 'busy'.")
    var maxConnections = 256

    @Option(help: "Seconds a new connection has to send 'hello'.")
    var helloTimeout = 10.0

    @Option(help: "Seconds the hub waits for a client's next message.")
    var idleTimeout = 60.0

    @Option(help: "Longest line accepted, in bytes.")
    var maxLineBytes = Limits.maxLineBytesDefault

    @Option(help: "Threads for database work.")
    var databaseThreads = 4

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard maxConnections > 0, helloTimeout > 0, idleTimeout > 0, databaseThreads > 0 else {
            throw ValidationError("limits must be positive")
        }
        guard maxLineBytes >= 64 << 10 else { throw ValidationError("--max-line-bytes must be at least 65536") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: pass both, or neither to use the home's certificate")
        }
        guard !(plaintext && tlsCert != nil) else { throw ValidationError("--plaintext serves no certificate: drop --tls-cert/--tls-key") }
    }

    /// TLS with --tls-cert/--tls-key or the home's certificate, or plaintext when asked for.
    func serverTransport(of hub: HubHome) throws -> ServerTransport {
        if plaintext { return .plaintext }
        if let tlsCert, let tlsKey { return .tls(try TLSServerIdentity(certificatePath: tlsCert, keyPath: tlsKey)) }
        _ = try hub.ensureCertificateReporting()
        return .tls(try TLSServerIdentity(certificatePath: hub.certificatePath, keyPath: hub.keyPath))
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "leadsync.hub")
        let hub = try HubHome.existing(at: home.directory)
        let transport = try serverTransport(of: hub)
        let threadPool = NIOThreadPool(numberOfThreads: databaseThreads)
        threadPool.start()
        let limits = Limits(
            maxLineBytes: maxLineBytes, helloTimeoutMillis: Int(helloTimeout * 1000),
            idleTimeoutMillis: Int(idleTimeout * 1000), maxConnections: maxConnections)
        let signals = SignalStream.watching([SIGINT, SIGTERM])
        do {
            let server = try await HubServer.bind(
                configuration: HubServerConfiguration(host: host, port: port, transport: transport, limits: limits),
                store: try SQLiteHubStore(home: hub, threadPool: threadPool),
                logger: logger)
            // Written straight to the descriptor: scripts and tests read the port from this line.
            FileHandle.standardOutput.write(Data("listening on \(Self.format(host: host)):\(server.port)\n".utf8))
            switch transport {
            case .tls(let identity):
                logger.info("serving", metadata: [
                    "home": "\(hub.directory.path)", "hub": "\(server.hubID)",
                    "tls": "\(identity.fingerprint)", "certificate": "\(identity.certificatePath)",
                ])
            case .plaintext:
                logger.warning("""
                    serving PLAINTEXT (--plaintext): tokens and leads cross the network readable; \
                    use only behind a TLS-terminating proxy or on a network you trust
                    """, metadata: ["home": "\(hub.directory.path)", "hub": "\(server.hubID)"])
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                group.addTask {
                    for await signal in signals {
                        logger.notice("received signal \(signal); shutting down")
                        await server.shutdown()
                        return
                    }
                }
                // Whichever ends first: a signal starts the shutdown and run() then returns; if run()
                // fails on its own, stop waiting for signals.
                try await group.next()
                group.cancelAll()
                try await group.waitForAll()
            }
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try await threadPool.shutdownGracefully()
        logger.info("hub stopped")
    }

    static func format(host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// SIGINT/SIGTERM as an async sequence, so shutdown runs in structured code.
enum SignalStream {
    static func watching(_ numbers: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "leadsync.signals")
            let sources = numbers.map { number in
                // The default action would kill the process before the hub can shut down.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let box = SignalSources(sources)
            continuation.onTermination = { _ in box.cancel() }
        }
    }
}

/// Keeps the dispatch sources alive for the stream's lifetime; only touched to cancel them.
private final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
