import LeadSyncCore

/// The protocol version this code speaks. A peer announcing another one is refused with
/// `protocol_mismatch`; see Protocol/README.md, "Versioning".
public enum ProtocolVersion {
    public static let current = 1
}

/// The client's opening message: who it is, what it has, and its wall clock.
public struct Hello: Sendable, Hashable, Codable {
    public var `protocol`: Int
    public var node: NodeID
    /// The replica's current actor; it must belong to `node`.
    public var actor: ActorID
    public var token: String
    /// The replica's full vector clock.
    public var clock: VectorClock
    /// The replica's wall clock in Unix milliseconds, for skew reporting only.
    public var wall: Int64
    /// The client's build, e.g. `leadsync 0.1.0`, for the admin page; optional (older clients
    /// send none), 1-64 printable ASCII characters.
    public var client: String?

    public static let maxClientBytes = 64

    public init(
        protocol: Int = ProtocolVersion.current, node: NodeID, actor: ActorID, token: String, clock: VectorClock,
        wall: Int64, client: String? = nil
    ) {
        self.protocol = `protocol`
        self.node = node
        self.actor = actor
        self.token = token
        self.clock = clock
        self.wall = wall
        self.client = client
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`, node, actor, token, clock, wall, client
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.protocol = try container.decode(Int.self, forKey: .protocol)
        node = try container.decode(NodeID.self, forKey: .node)
        actor = try container.decode(ActorID.self, forKey: .actor)
        token = try container.decode(String.self, forKey: .token)
        clock = try container.decode(VectorClock.self, forKey: .clock)
        wall = try container.decode(Int64.self, forKey: .wall)
        client = try container.decodeIfPresent(String.self, forKey: .client)
        if let client, !Self.isValidClient(client) {
            throw DecodingError.dataCorruptedError(
                forKey: .client, in: container,
                debugDescription: "'client' must be 1-\(Self.maxClientBytes) printable ASCII characters")
        }
    }

    static func isValidClient(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maxClientBytes && text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }
}

/// The hub's answer to an accepted `hello`.
public struct Welcome: Sendable, Hashable, Codable {
    public var `protocol`: Int
    /// The hub's id, stable for the life of its home directory.
    public var hub: String
    /// The hub's full vector clock: what the client needs not send.
    public var clock: VectorClock
    public var wall: Int64
    public var limits: Limits

    public init(protocol: Int = ProtocolVersion.current, hub: String, clock: VectorClock, wall: Int64, limits: Limits) {
        self.protocol = `protocol`
        self.hub = hub
        self.clock = clock
        self.wall = wall
        self.limits = limits
    }
}

/// One line of the protocol.
public enum Message: Sendable, Hashable {
    case hello(Hello)
    case welcome(Welcome)
    /// A batch of operations, per origin in seq order, in the sender's apply order.
    case ops([Op])
    /// The receiver's full clock after it committed the batch just received.
    case ack(VectorClock)
    /// The sender has nothing more to send.
    case done
    case error(ProtocolError)

    /// The `type` key on the wire.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .welcome: "welcome"
        case .ops: "ops"
        case .ack: "ack"
        case .done: "done"
        case .error: "error"
        }
    }
}
