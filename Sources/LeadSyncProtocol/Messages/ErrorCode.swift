/// The machine-readable reason in an `error` message. A struct rather than an enum so a client
/// built against this version still decodes codes a newer hub adds (Protocol/README.md, "Errors").
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// The line is not a JSON object with a string `type`.
    public static let badJSON = ErrorCode(rawValue: "bad_json")
    /// The `type` is not one this protocol version knows.
    public static let unknownType = ErrorCode(rawValue: "unknown_type")
    /// A known message lacks a required key or has one of the wrong type.
    public static let invalidMessage = ErrorCode(rawValue: "invalid_message")
    /// A line exceeded the maximum line length.
    public static let lineTooLong = ErrorCode(rawValue: "line_too_long")
    /// The first message of a session was not `hello`.
    public static let helloRequired = ErrorCode(rawValue: "hello_required")
    /// The peer speaks another protocol version.
    public static let protocolMismatch = ErrorCode(rawValue: "protocol_mismatch")
    /// Unknown node, wrong token, or an actor that does not belong to the node.
    public static let unauthorized = ErrorCode(rawValue: "unauthorized")
    /// The node's token was revoked on the hub.
    public static let revoked = ErrorCode(rawValue: "revoked")
    /// An operation's origin is an actor of another node.
    public static let foreignOrigin = ErrorCode(rawValue: "foreign_origin")
    /// An operation's seq is not the next one of its origin.
    public static let seqGap = ErrorCode(rawValue: "seq_gap")
    /// An operation depends on an operation the receiver has not applied.
    public static let missingDependency = ErrorCode(rawValue: "missing_dependency")
    /// An operation is malformed or fails validation (bad field, unknown action, unknown lead).
    public static let invalidOp = ErrorCode(rawValue: "invalid_op")
    /// An operation's `hlc` is further ahead of the hub's wall clock than the hub allows: the
    /// sending laptop's clock is wrong (see ``ClockPolicy``).
    public static let clockAhead = ErrorCode(rawValue: "clock_ahead")
    /// A batch holds more operations or bytes than the limits allow.
    public static let batchTooLarge = ErrorCode(rawValue: "batch_too_large")
    /// A well-formed message that is not allowed at this point of the session.
    public static let unexpectedMessage = ErrorCode(rawValue: "unexpected_message")
    /// No `hello` in time, or the peer went idle.
    public static let timeout = ErrorCode(rawValue: "timeout")
    /// The hub is at its connection limit; retry later.
    public static let busy = ErrorCode(rawValue: "busy")
    /// The hub is shutting down; retry later.
    public static let shuttingDown = ErrorCode(rawValue: "shutting_down")
    /// The receiver failed on its side (e.g. a database error); retry later.
    public static let `internal` = ErrorCode(rawValue: "internal")
    /// A plaintext client reached a hub that serves TLS; sent in plaintext, then the hub closes.
    public static let tlsRequired = ErrorCode(rawValue: "tls_required")

    /// Every code this version defines, in documentation order.
    public static let all: [ErrorCode] = [
        .badJSON, .unknownType, .invalidMessage, .lineTooLong, .helloRequired, .protocolMismatch, .unauthorized,
        .revoked, .foreignOrigin, .seqGap, .missingDependency, .invalidOp, .clockAhead, .batchTooLarge, .unexpectedMessage,
        .timeout, .busy, .shuttingDown, .internal, .tlsRequired,
    ]

    public init(from decoder: any Decoder) throws {
        rawValue = try String(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try rawValue.encode(to: encoder)
    }
}
