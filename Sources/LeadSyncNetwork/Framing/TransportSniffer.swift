import LeadSyncProtocol
import Logging
import NIOCore

/// The hub's first handler: looks at a connection's first byte to catch a client that speaks the
/// wrong transport, so it gets a clear answer instead of a hang.
///
/// A TLS client's first byte is 0x16 (a TLS handshake record); a LeadSync plaintext client's is `{`.
/// On a TLS port, a plaintext client gets one plaintext `error` line (`tls_required`) and the
/// connection closes. On a plaintext port, a TLS client's connection is closed (its TLS library
/// reports a closed handshake) and the hub logs it. A matching first byte removes the handler.
final class TransportSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let tlsHandshakeRecord: UInt8 = 0x16

    private let expectsTLS: Bool
    private let logger: Logger
    private var refused = false

    init(expectsTLS: Bool, logger: Logger) {
        self.expectsTLS = expectsTLS
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        if (first == Self.tlsHandshakeRecord) == expectsTLS {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        refused = true
        let peer = context.channel.remoteAddress?.description ?? "?"
        if expectsTLS {
            logger.notice("refused a plaintext client on the TLS port", metadata: ["peer": "\(peer)"])
            let error = ProtocolError(
                .tlsRequired,
                "this hub serves TLS only: configure the replica with the hub's fingerprint "
                    + "(leadsync init or sync --fingerprint sha256:…, from 'leadsync hub add-node') instead of --plaintext")
            var line = context.channel.allocator.buffer(string: LineCodec.encode(.error(error)))
            line.writeInteger(UInt8(ascii: "\n"))
            context.writeAndFlush(wrapOutboundOut(line), promise: nil)
        } else {
            logger.notice("refused a TLS client on the plaintext port (hub serve --plaintext)", metadata: ["peer": "\(peer)"])
        }
        // Half-close after the line, drop whatever else arrives, and close for good shortly after:
        // closing with unread input would reset the connection and could destroy the line.
        context.close(mode: .output, promise: nil)
        context.read()
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if refused {
            context.read()
        } else {
            context.fireChannelReadComplete()
        }
    }
}
