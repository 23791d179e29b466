import NIOCore

/// Lets a side that is ending a session with an `error` line close without destroying that line.
///
/// Closing a TCP socket whose receive buffer still holds unread bytes (a peer in the middle of an
/// oversized line or batch) makes the kernel send RST, which can discard the error line before the
/// peer reads it. So the closing side half-closes its output (FIN after the error line), then reads
/// and drops whatever still arrives until the peer closes or a short deadline passes.
final class LingerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Fired down the pipeline to switch the handler into draining mode.
    struct StartDraining: Sendable {}

    private var draining = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !draining else { return }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard !draining else {
            // The handlers behind us stopped asking for reads; keep the socket flowing ourselves.
            context.read()
            return
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is StartDraining {
            draining = true
            context.read()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !draining else { return }
        context.fireErrorCaught(error)
    }
}

extension Channel {
    /// Half-closes the output (flushing what was written), drains input, and closes once the peer
    /// has closed or `timeout` has passed.
    func lingeringClose(timeout: TimeAmount) async {
        try? await close(mode: .output)
        pipeline.fireUserInboundEventTriggered(LingerHandler.StartDraining())
        let deadline = eventLoop.scheduleTask(in: timeout) { [self] in close(promise: nil) }
        try? await closeFuture.get()
        deadline.cancel()
    }
}
