import LeadSyncHub
import LeadSyncProtocol
import Metrics

/// The hub's metrics, made from a ``MetricsFactory`` the caller passes in (no global bootstrap):
/// counters for sessions, operations, batches, authentication failures and refusals, push and pull
/// durations as timers (histograms in seconds under Prometheus), and gauges refreshed from the store
/// at each scrape. Every label value comes from a closed set, except `node` on the per-node lag
/// gauges, which is bounded by the registry and capped at ``HubMetrics/nodeGaugeLimit``.
public struct HubMetrics: Sendable {
    /// Per-node gauges are kept for at most this many nodes (the first ones by name).
    public static let nodeGaugeLimit = 1_000

    /// Error codes that label refusals and session outcomes; anything else becomes `other`.
    public static let knownCodes: Set<String> = Set(ErrorCode.all.map(\.rawValue) + ["ok", "disconnected"])

    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Help text for every metric, by name: the Prometheus output gains a `# HELP` line from it.
    public static let help: [String: String] = [
        "leadsync_hub_sessions_total": "Finished sync sessions of authenticated nodes, by outcome (ok or the error code).",
        "leadsync_hub_connected_sessions": "Sync sessions open right now.",
        "leadsync_hub_operations_received_total": "Operations replicas pushed that were new to the hub.",
        "leadsync_hub_operations_sent_total": "Operations the hub sent to replicas.",
        "leadsync_hub_batches_total": "Batches committed (direction=push) or sent (direction=pull).",
        "leadsync_hub_push_duration_seconds": "Time to commit one pushed batch.",
        "leadsync_hub_pull_duration_seconds": "Time to read one page of operations for a replica.",
        "leadsync_hub_auth_failures_total": "Refused hellos, by reason.",
        "leadsync_hub_refused_operations_total": "Operations in refused batches, by error code.",
        "leadsync_hub_conflicts": "Open conflicts on the hub.",
        "leadsync_hub_node_lag_operations": "Operations the hub holds that the node has not acknowledged (hub ahead).",
        "leadsync_hub_node_waiting_operations": "Operations the node held that the hub lacked at its last contact.",
        "leadsync_hub_store_size_bytes": "Bytes the hub's op store occupies on disk.",
        "leadsync_hub_nodes": "Registered nodes, by state.",
    ]

    func sessionEnded(outcome: String) {
        Counter(label: "leadsync_hub_sessions_total", dimensions: [("outcome", Self.bounded(outcome))], factory: factory)
            .increment()
    }

    func pushed(operations: Int, nanoseconds: Int64) {
        Counter(label: "leadsync_hub_operations_received_total", factory: factory).increment(by: operations)
        Counter(label: "leadsync_hub_batches_total", dimensions: [("direction", "push")], factory: factory).increment()
        Timer(label: "leadsync_hub_push_duration_seconds", factory: factory).recordNanoseconds(nanoseconds)
    }

    func pulled(operations: Int, nanoseconds: Int64) {
        guard operations > 0 else { return }
        Counter(label: "leadsync_hub_operations_sent_total", factory: factory).increment(by: operations)
        Counter(label: "leadsync_hub_batches_total", dimensions: [("direction", "pull")], factory: factory).increment()
        Timer(label: "leadsync_hub_pull_duration_seconds", factory: factory).recordNanoseconds(nanoseconds)
    }

    func authenticationFailed(reason: AuthenticationResult) {
        let label = switch reason {
        case .accepted: "accepted"
        case .unknownNode: "unknown_node"
        case .wrongToken: "wrong_token"
        case .revoked: "revoked"
        }
        Counter(label: "leadsync_hub_auth_failures_total", dimensions: [("reason", label)], factory: factory).increment()
    }

    func refused(code: String, operations: Int) {
        Counter(label: "leadsync_hub_refused_operations_total", dimensions: [("code", Self.bounded(code))], factory: factory)
            .increment(by: operations)
    }

    /// Sets the gauges from the store's current report, just before a scrape.
    func refresh(report: AdminReport, storageBytes: Int64) {
        Gauge(label: "leadsync_hub_connected_sessions", factory: factory).record(report.nodes.filter(\.connected).count)
        Gauge(label: "leadsync_hub_conflicts", factory: factory).record(report.conflicts)
        Gauge(label: "leadsync_hub_store_size_bytes", factory: factory).record(storageBytes)
        for state in ["active", "revoked"] {
            Gauge(label: "leadsync_hub_nodes", dimensions: [("state", state)], factory: factory)
                .record(report.nodes.filter { $0.state == state }.count)
        }
        for node in report.nodes.prefix(Self.nodeGaugeLimit) {
            Gauge(label: "leadsync_hub_node_lag_operations", dimensions: [("node", node.node)], factory: factory)
                .record(Double(node.hubAhead))
            Gauge(label: "leadsync_hub_node_waiting_operations", dimensions: [("node", node.node)], factory: factory)
                .record(Double(node.waitingOnNode))
        }
    }

    static func bounded(_ code: String) -> String {
        knownCodes.contains(code) ? code : "other"
    }
}
