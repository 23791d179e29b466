import NIOCore

/// What the hub's listening socket yields for each accepted connection.
enum AcceptedConnection: Sendable {
    /// Within the quotas: a line channel to serve, and its place among pending connections.
    case admitted(LineChannel, AdmissionTicket)
    /// Over a quota: a ``RefusalHandler`` answers `busy` and closes it; nothing else to do.
    case refused
}

/// Writes one line (an `error`) as soon as the connection is active, then closes it. Bytes the
/// peer sends meanwhile are read and dropped, so the close is a FIN rather than a reset that could
/// destroy the line. Costs no task and no session state: it serves connections over a quota.
final class RefusalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let line: String
    private var sent = false

    init(_ line: String) {
        self.line = line
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }
}
