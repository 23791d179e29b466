/// A failure that ends a session with an `error` message: what the codec, a state machine or the
/// receiver's store found wrong, as the code and text sent to (or received from) the peer.
public struct ProtocolError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = Self.truncated(message)
    }

    public var description: String { "\(code): \(message)" }

    /// Messages stay short so an error line never approaches the line limit.
    static func truncated(_ text: String) -> String {
        text.count <= 500 ? text : String(text.prefix(497)) + "..."
    }
}
