import Foundation
import NIOCore
import NIOExtras
import NIOPosix

/// What a raw session got back.
public struct RawExchange: Sendable {
    /// Lines received, without `\n`.
    public let lines: [String]
    /// False when the test's deadline, not the hub, ended the connection.
    public let closedByPeer: Bool
}

/// A deliberately dumb client for feeding a hub arbitrary bytes: writes the chunks, then collects
/// every line until the hub closes the connection or the deadline passes.
public enum RawLineClient {
    /// - Parameters:
    ///   - stopAfter: close after this many lines instead of waiting for the hub to close, e.g.
    ///     after the `ack` of a pushed batch (the hub would otherwise wait for the next message).
    ///   - source: the local address to connect from (any of 127.0.0.0/8 on Linux), to play
    ///     clients on other machines.
    public static func exchange(
        port: Int, sending chunks: [String], deadline: TimeAmount = .seconds(10), stopAfter: Int? = nil,
        source: String? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RawExchange {
        var bootstrap = ClientBootstrap(group: group)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let timedOut = TimeoutFlag()
        let timer = channel.channel.eventLoop.scheduleTask(in: deadline) {
            timedOut.set()
            channel.channel.close(promise: nil)
        }
        let lines = try await channel.executeThenClose { inbound, outbound in
            for chunk in chunks {
                // The hub may already have refused us and closed; keep reading what it said.
                do { try await outbound.write(ByteBuffer(string: chunk)) } catch { break }
            }
            var lines: [String] = []
            do {
                for try await frame in inbound {
                    lines.append(String(buffer: frame))
                    if let stopAfter, lines.count >= stopAfter { break }
                }
            } catch {
                // A reset after the hub's last line still leaves the lines read so far.
            }
            return lines
        }
        timer.cancel()
        return RawExchange(lines: lines, closedByPeer: !timedOut.value && stopAfter.map { lines.count < $0 } ?? true)
    }
}

private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false

    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}
