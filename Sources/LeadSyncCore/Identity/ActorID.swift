/// The origin of operations: a node id plus a random suffix made by every `init`, written
/// `node~suffix`. A rep who re-initialises under the same node name starts a new actor, so a
/// fresh counter never collides with sequence numbers the hub has already seen.
public struct ActorID: ValidatedIdentifier {
    public let rawValue: String
    /// The node this actor belongs to; the hub authorises actors by it.
    public let node: NodeID

    public init(validating raw: String) throws(IdentityError) {
        let parts = raw.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...16).contains(parts[1].utf8.count),
              parts[1].utf8.allSatisfy(NodeID.isNodeByte)
        else { throw .invalidActorID(raw) }
        node = try NodeID(validating: String(parts[0]))
        rawValue = raw
    }

    /// A new actor for `node` with a random suffix.
    public static func random<G: RandomNumberGenerator>(for node: NodeID, using generator: inout G) -> ActorID {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let suffix = String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        // The suffix is built from the valid alphabet, so validation cannot fail.
        return try! ActorID(validating: "\(node.rawValue)~\(suffix)")
    }
}
