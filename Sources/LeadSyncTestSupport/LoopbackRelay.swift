import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP relay on 127.0.0.1 between a client and a server, keeping a copy of every byte that
/// crosses it both ways: what an eavesdropper on the network would capture.
public final class LoopbackRelay: Sendable {
    /// The port clients connect to instead of the server's.
    public let port: Int
    private let channel: any Channel
    private let capture: Capture

    /// Starts relaying connections to `127.0.0.1:targetPort`.
    public static func start(
        to targetPort: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LoopbackRelay {
        let capture = Capture()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                ClientBootstrap(group: child.eventLoop)
                    .channelInitializer { upstream in
                        upstream.eventLoop.makeCompletedFuture {
                            try upstream.pipeline.syncOperations.addHandler(Forwarder(partner: child, capture: capture))
                        }
                    }
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMapThrowing { upstream in
                        try child.pipeline.syncOperations.addHandler(Forwarder(partner: upstream, capture: capture))
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackRelay(port: channel.localAddress?.port ?? 0, channel: channel, capture: capture)
    }

    private init(port: Int, channel: any Channel, capture: Capture) {
        self.port = port
        self.channel = channel
        self.capture = capture
    }

    /// Every byte relayed so far, both directions in arrival order.
    public var bytes: [UInt8] { capture.bytes }

    /// Whether the captured bytes contain `text` (UTF-8) anywhere.
    public func captured(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        let haystack = bytes
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    public func close() async {
        try? await channel.close()
    }
}

private final class Capture: Sendable {
    private let storage = NIOLockedValueBox<[UInt8]>([])

    var bytes: [UInt8] { storage.withLockedValue { $0 } }

    func append(_ buffer: ByteBuffer) {
        storage.withLockedValue { $0.append(contentsOf: buffer.readableBytesView) }
    }
}

/// Copies what one side reads to the other side, and closes the other side when this one closes.
private final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel
    private let capture: Capture

    init(partner: any Channel, capture: Capture) {
        self.partner = partner
        self.capture = capture
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        capture.append(buffer)
        partner.writeAndFlush(buffer, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
