/// A replica's name, chosen at `leadsync init` and registered on the hub: `[a-z0-9._-]{1,64}`.
/// It is what the hub authenticates.
public struct NodeID: ValidatedIdentifier {
    public let rawValue: String

    public init(validating raw: String) throws(IdentityError) {
        guard Self.isValid(raw) else { throw .invalidNodeID(raw) }
        rawValue = raw
    }

    /// The hub's own node: the only node whose actors may write replicated settings (the rules).
    /// Reserved: the hub registers no replica under this name.
    public static let hub = NodeID(unchecked: "hub")

    private init(unchecked raw: String) {
        rawValue = raw
    }

    static func isValid(_ raw: String) -> Bool {
        !raw.isEmpty && raw.utf8.count <= 64 && raw.utf8.allSatisfy(isNodeByte)
    }

    static func isNodeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
