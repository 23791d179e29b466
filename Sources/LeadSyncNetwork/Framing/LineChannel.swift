import LeadSyncProtocol
import NIOCore
import NIOExtras

/// The channel type both ends use: inbound lines (without `\n`) and outbound bytes.
typealias LineChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

enum LineFraming {
    /// Installs line framing with a hard cap and the session guard, then wraps the channel for
    /// async use. Must run on the channel's event loop (inside a bootstrap initializer).
    static func configure(
        _ channel: any Channel, maxLineBytes: Int, helloTimeout: TimeAmount?, idleTimeout: TimeAmount
    ) throws -> LineChannel {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(LingerHandler())
        // LineBasedFrameDecoder alone would buffer a line without a newline forever; the handler's
        // cap fails the stream once an incomplete line exceeds the limit (plus the `\r\n`).
        try pipeline.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxLineBytes + 2))
        try pipeline.addHandler(SessionGuardHandler(helloTimeout: helloTimeout, idleTimeout: idleTimeout))
        return try LineChannel(
            wrappingChannelSynchronously: channel,
            configuration: .init(
                backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
                isOutboundHalfClosureEnabled: false,
                inboundType: ByteBuffer.self,
                outboundType: ByteBuffer.self))
    }
}

/// What reading the next line produced.
enum LineEvent: Sendable {
    /// A line that decoded into a message; `line` is the line as received, `opTexts` the text of
    /// each operation of an `ops` line, if the reader keeps them (see ``LineReader``).
    case message(Message, line: ByteBuffer, opTexts: [String]?)
    /// The session must end with this error sent to the peer (bad line, timeout, shutdown).
    case invalid(ProtocolError, line: ByteBuffer?)
    /// The peer closed the connection.
    case closed
    /// The connection broke; nothing more can be sent.
    case broken(String)
}

/// Reads lines off a ``LineChannel`` and decodes them, mapping transport failures to protocol errors.
struct LineReader {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let maxLineBytes: Int
    /// Whether to keep each received operation's text (a hub stores it as the op's log body).
    private let keepsOpText: Bool
    /// Where a hub's sessions take the bytes of the line they decode (see ``DecodeBudget``).
    private let budget: DecodeBudget?
    /// What this reader took from ``budget`` for the line it returned last.
    private var held = 0

    init(
        _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, maxLineBytes: Int, keepsOpText: Bool = false,
        budget: DecodeBudget? = nil
    ) {
        iterator = inbound.makeAsyncIterator()
        self.maxLineBytes = maxLineBytes
        self.keepsOpText = keepsOpText
        self.budget = budget
    }

    /// The next line, decoded. The previous line's share of the budget is given back first: its
    /// caller is done with it when it asks for the next one.
    mutating func next() async -> LineEvent {
        releaseLine()
        let frame: ByteBuffer?
        do {
            frame = try await iterator.next()
        } catch {
            return Self.event(for: error, maxLineBytes: maxLineBytes)
        }
        guard let frame else { return .closed }
        // A line that arrived whole in one read never hit the buffer cap; check it here.
        guard frame.readableBytes <= maxLineBytes else {
            return .invalid(ProtocolError(.lineTooLong, "a line holds at most \(maxLineBytes) bytes"), line: nil)
        }
        if let budget {
            held = frame.readableBytes
            await budget.take(held)
        }
        do {
            if keepsOpText {
                let decoded = try LineCodec.decodeKeepingOpText(frame.readableBytesView)
                return .message(decoded.message, line: frame, opTexts: decoded.opTexts)
            }
            return .message(try LineCodec.decode(frame.readableBytesView), line: frame, opTexts: nil)
        } catch {
            return .invalid(error, line: frame)
        }
    }

    /// Gives back the last line's share of the budget; call it when the session ends.
    mutating func releaseLine() {
        guard held > 0 else { return }
        budget?.give(held)
        held = 0
    }

    static func event(for error: any Error, maxLineBytes: Int) -> LineEvent {
        switch error {
        case is ByteToMessageDecoderError.PayloadTooLargeError:
            return .invalid(ProtocolError(.lineTooLong, "a line holds at most \(maxLineBytes) bytes"), line: nil)
        case SessionGuardError.helloTimeout:
            return .invalid(ProtocolError(.timeout, "no 'hello' received in time"), line: nil)
        case SessionGuardError.idleTimeout:
            return .invalid(ProtocolError(.timeout, "no message received in time; closing idle session"), line: nil)
        case SessionGuardError.shuttingDown:
            return .invalid(ProtocolError(.shuttingDown, "the hub is shutting down; sync again in a moment"), line: nil)
        case is NIOExtrasErrors.LeftOverBytesError:
            return .closed
        default:
            return .broken("\(error)")
        }
    }
}

/// Writes lines, each followed by `\n`.
struct LineWriter {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let allocator: ByteBufferAllocator

    func write(_ line: String) async throws {
        var buffer = allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        try await outbound.write(buffer)
    }
}
