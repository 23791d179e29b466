import NIOCore

/// Why the guard ended a session; surfaces as the error of the inbound stream.
enum SessionGuardError: Error, Sendable {
    /// No first line within the hello timeout.
    case helloTimeout
    /// The peer sent nothing for the idle timeout while it was expected to.
    case idleTimeout
    /// The hub is shutting down.
    case shuttingDown
}

/// Enforces the session's timers and turns a shutdown request into a stream error.
///
/// The idle timer runs only while this side waits for the peer: it is armed when a line is
/// written (every line of the protocol asks for an answer, or ends the session) and disarmed when a
/// line arrives (this side now has work to do). So a slow database never counts as peer idleness,
/// and a peer trickling a line that never ends still times out.
final class SessionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline (`fireUserInboundEventTriggered`) to end the session for shutdown.
    struct ShutdownEvent: Sendable {}

    private let helloTimeout: TimeAmount?
    private let idleTimeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var armed = false

    /// - Parameters:
    ///   - helloTimeout: time allowed for the peer's first line, armed when the channel becomes
    ///     active (the hub's side); nil for the client, which speaks first.
    ///   - idleTimeout: time allowed for each answer of the peer.
    init(helloTimeout: TimeAmount?, idleTimeout: TimeAmount) {
        self.helloTimeout = helloTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHello(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armHello(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        disarm()
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        arm(context: context, after: idleTimeout, error: .idleTimeout)
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ShutdownEvent {
            disarm()
            context.fireErrorCaught(SessionGuardError.shuttingDown)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func armHello(context: ChannelHandlerContext) {
        guard let helloTimeout, timer == nil, !armed else { return }
        arm(context: context, after: helloTimeout, error: .helloTimeout)
    }

    private func arm(context: ChannelHandlerContext, after delay: TimeAmount, error: SessionGuardError) {
        disarm()
        armed = true
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timer = nil
            loopBoundContext.value.fireErrorCaught(error)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
