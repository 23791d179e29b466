/// The limits a hub enforces, announced in `welcome` so a client can size its batches.
public struct Limits: Sendable, Hashable, Codable {
    /// Longest line accepted, in bytes, without the terminating `\n`.
    public var maxLineBytes: Int
    /// Most operations in one `ops` message.
    public var maxBatchOps: Int
    /// Longest `ops` line a sender should produce, in bytes.
    public var maxBatchBytes: Int
    /// Time a new connection has to send its first line (`hello`), in milliseconds.
    public var helloTimeoutMillis: Int
    /// Time the hub waits for the next line from a client, in milliseconds.
    public var idleTimeoutMillis: Int
    /// Connections served at once; more are refused with `busy`.
    public var maxConnections: Int

    public static let maxLineBytesDefault = 1 << 20
    /// A second bound besides ``maxBatchBytesDefault``, set so that typical edits (about 200 bytes
    /// each) fill a batch by bytes: the hub rewrites a lead's row once per batch that edits it, so
    /// a rep's evening push in two large batches costs far less than in many small ones.
    public static let maxBatchOpsDefault = 2500
    public static let maxBatchBytesDefault = 512 << 10

    public init(
        maxLineBytes: Int = Limits.maxLineBytesDefault, maxBatchOps: Int = Limits.maxBatchOpsDefault,
        maxBatchBytes: Int = Limits.maxBatchBytesDefault, helloTimeoutMillis: Int = 10_000,
        idleTimeoutMillis: Int = 60_000, maxConnections: Int = 256
    ) {
        self.maxLineBytes = maxLineBytes
        self.maxBatchOps = maxBatchOps
        self.maxBatchBytes = min(maxBatchBytes, maxLineBytes)
        self.helloTimeoutMillis = helloTimeoutMillis
        self.idleTimeoutMillis = idleTimeoutMillis
        self.maxConnections = maxConnections
    }

    enum CodingKeys: String, CodingKey {
        case maxLineBytes = "max_line_bytes"
        case maxBatchOps = "max_batch_ops"
        case maxBatchBytes = "max_batch_bytes"
        case helloTimeoutMillis = "hello_timeout_ms"
        case idleTimeoutMillis = "idle_timeout_ms"
        case maxConnections = "max_connections"
    }

    /// The tighter of two sets of batch limits: what a client uses once it knows the hub's.
    public func narrowed(to other: Limits) -> Limits {
        var result = self
        result.maxLineBytes = min(maxLineBytes, other.maxLineBytes)
        result.maxBatchOps = max(1, min(maxBatchOps, other.maxBatchOps))
        result.maxBatchBytes = min(maxBatchBytes, other.maxBatchBytes, result.maxLineBytes)
        return result
    }
}
