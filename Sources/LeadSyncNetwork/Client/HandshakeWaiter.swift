import NIOCore
import NIOTLS

/// Sits behind the client's TLS handler and completes a promise when the handshake is done, or
/// fails it with the handshake's error, a closed connection or the deadline — so the client knows
/// whom it talks to before it sends its token.
final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The handshake did not finish within the deadline.
    struct Timeout: Error {}

    private let promise: EventLoopPromise<Void>
    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?

    init(promise: EventLoopPromise<Void>, deadline: TimeAmount) {
        self.promise = promise
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let promise = promise
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: deadline) {
            promise.fail(Timeout())
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        promise.fail(ChannelError.ioOnClosedChannel)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            timer?.cancel()
            promise.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        timer?.cancel()
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
