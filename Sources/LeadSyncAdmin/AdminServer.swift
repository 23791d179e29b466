import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LeadSyncCore
import LeadSyncHub
import LeadSyncTLS
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The hub's admin HTTP server: the status page (`/`), a node's sessions (`/nodes/NAME`), the same
/// as JSON (`/api/v1/nodes`, `/api/v1/nodes/NAME`), Prometheus metrics (`/metrics`), `/healthz` and
/// `/readyz`. Reads only through ``HubStore``. Every route but `/healthz` needs an admin token:
/// `Authorization: Bearer TOKEN`, or the session cookie the sign-in form sets.
public struct AdminServer: Sendable {
    public let configuration: AdminServerConfiguration
    let store: any HubStore
    let metrics: HubMetrics
    let registry: PrometheusCollectorRegistry
    let sessions: AdminSessions
    let logger: Logger
    let now: @Sendable () -> Int64

    static let cookieName = "leadsync_admin"
    /// Longest sign-in form body read.
    static let maxFormBytes = 4_096

    /// - Parameters:
    ///   - store: the hub's store, as the sync server sees it (``ObservedHubStore`` so the counters move).
    ///   - registry: where `metrics`' factory records; `/metrics` prints it.
    public init(
        configuration: AdminServerConfiguration, store: any HubStore, metrics: HubMetrics,
        registry: PrometheusCollectorRegistry, logger: Logger,
        now: @escaping @Sendable () -> Int64 = NodeRegistry.systemMillis
    ) throws(AdminServerError) {
        self.configuration = try configuration.validated()
        self.store = store
        self.metrics = metrics
        self.registry = registry
        self.logger = logger
        self.now = now
        sessions = AdminSessions(lifetimeMillis: Int64(configuration.sessionLifetimeSeconds) * 1000)
    }

    /// Serves until the calling task is cancelled, which shuts the server down gracefully (open
    /// requests finish); `onRunning` gets the bound port (for port 0).
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [try service(onRunning: onRunning)], logger: logger))
        // Run apart from this task, so its cancellation becomes a graceful shutdown rather than
        // the group's own cancellation.
        let serving = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// The server as a service, to run in the caller's `ServiceGroup` beside other services (the
    /// hub's sync server): it stops gracefully with the group. `onRunning` gets the bound port.
    /// Serves HTTPS when the configuration has a TLS identity.
    public func service(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> any Service {
        let server: HTTPServerBuilder =
            if let tls = configuration.tls { try .tls(.http1(), tlsConfiguration: tls.configuration) } else { .http1() }
        return Application(
            router: makeRouter(),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in Self.text("ok\n") }
        router.get("/readyz") { request, _ in
            try await authorized(request) { _ in
                do {
                    _ = try await store.clock()
                    return Self.text("ready\n")
                } catch {
                    return Self.text("store unreachable: \(error)\n", status: .serviceUnavailable)
                }
            }
        }
        router.get("/") { request, _ in
            try await page(request) { _ in
                let query = try NodeQuery(parameters: Self.parameters(request))
                let report = try await store.adminReport()
                let time = now()
                return Self.html(AdminPage.status(report: report, rows: query.apply(to: report.nodes, now: time), query: query, now: time))
            }
        }
        router.get("/nodes/:name") { request, context in
            try await page(request) { _ in
                guard let found = try await nodeAndSessions(context.parameters.get("name")) else {
                    return Self.html(AdminPage.layout(title: "Unknown node", body: "<p>No such node. <a href=\"/\">All nodes</a></p>"), status: .notFound)
                }
                return Self.html(AdminPage.node(found.node, sessions: found.sessions))
            }
        }
        router.get("/api/v1/nodes") { request, _ in
            try await authorized(request) { _ in
                let query = try NodeQuery(parameters: Self.parameters(request))
                let report = try await store.adminReport()
                let time = now()
                return try Self.json(NodeListResponse(
                    hub: report.hub, generatedAt: time, staleHours: query.staleHours, nodes: query.apply(to: report.nodes, now: time)))
            }
        }
        router.get("/api/v1/nodes/:name") { request, context in
            try await authorized(request) { _ in
                guard let found = try await nodeAndSessions(context.parameters.get("name")) else {
                    return try Self.json(ErrorResponse(error: "no such node"), status: .notFound)
                }
                return try Self.json(NodeDetailResponse(node: found.node, sessions: found.sessions))
            }
        }
        router.get("/metrics") { request, _ in
            try await authorized(request) { _ in
                metrics.refresh(report: try await store.adminReport(), storageBytes: try await store.storageBytes())
                var response = Self.text(PrometheusText.addingHelp(registry.emitToString(), help: HubMetrics.help))
                response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return response
            }
        }
        router.post("/signin") { request, _ in try await signIn(request) }
        router.post("/signout") { request, _ in
            if let id = request.cookies[Self.cookieName]?.value { await sessions.close(id) }
            var response = Self.redirect(to: "/")
            response.headers[.setCookie] = cookie(value: "", maxAge: 0)
            return response
        }
        return router
    }

    private func nodeAndSessions(_ name: String?) async throws -> (node: AdminNodeReport, sessions: [SessionRecord])? {
        guard let name, let node = try? NodeID(validating: name) else { return nil }
        guard let history = try await store.sessions(of: node),
            let row = try await store.adminReport().nodes.first(where: { $0.node == node.rawValue })
        else { return nil }
        return (row, history)
    }

    // MARK: Responses

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func json<Body: Encodable>(_ body: Body, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Only the page's own inline script (by hash) and style run; forms post only to this server.
    static let contentSecurityPolicy: String = {
        let digest = Data(SHA256.hash(data: Data(AdminPage.script.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(digest)'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
    }()

    static func parameters(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
        return parameters
    }
}

/// `GET /api/v1/nodes`.
struct NodeListResponse: Encodable {
    let hub: String
    let generatedAt: Int64
    let staleHours: Int?
    let nodes: [AdminNodeReport]

    enum CodingKeys: String, CodingKey {
        case hub, nodes
        case generatedAt = "generated_at"
        case staleHours = "stale_hours"
    }
}

/// `GET /api/v1/nodes/NAME`.
struct NodeDetailResponse: Encodable {
    let node: AdminNodeReport
    let sessions: [SessionRecord]
}

struct ErrorResponse: Encodable {
    let error: String
}
