import LeadSyncProtocol
import LeadSyncTLS
import NIOCore

/// How a hub listens and what it allows.
public struct HubServerConfiguration: Sendable {
    /// Address to bind; loopback by default. Use `0.0.0.0` or `::` to serve a LAN.
    public var host: String
    /// Port to bind; 0 lets the system pick one (read it back from ``HubServer/port``).
    public var port: Int
    /// TLS with the hub's certificate, or plaintext; always chosen explicitly.
    public var transport: ServerTransport
    /// Line, batch, timeout and connection limits, announced to clients in `welcome`.
    public var limits: Limits
    /// How long shutdown waits for sessions to end on their own before closing them.
    public var shutdownGracePeriod: TimeAmount
    /// How far ahead of the hub's clock a pushed operation may be stamped.
    public var clockPolicy: ClockPolicy
    /// Quotas for connections that have not authenticated yet.
    public var admission: AdmissionLimits
    /// How many bytes of received lines all sessions together hold decoded at once (a line
    /// larger than this still passes, alone): what bounds the hub's memory when hundreds of
    /// replicas push at once. See ``DecodeBudget``.
    public var decodeBudgetBytes: Int
    /// 32 full-sized batches.
    public static let decodeBudgetBytesDefault = 16 << 20

    public init(
        host: String = "127.0.0.1", port: Int = 0, transport: ServerTransport, limits: Limits = Limits(),
        shutdownGracePeriod: TimeAmount = .seconds(5), clockPolicy: ClockPolicy = ClockPolicy(),
        admission: AdmissionLimits = AdmissionLimits(), decodeBudgetBytes: Int = decodeBudgetBytesDefault
    ) {
        self.host = host
        self.port = port
        self.transport = transport
        self.limits = limits
        self.shutdownGracePeriod = shutdownGracePeriod
        self.clockPolicy = clockPolicy
        self.admission = admission
        self.decodeBudgetBytes = max(1, decodeBudgetBytes)
    }
}
