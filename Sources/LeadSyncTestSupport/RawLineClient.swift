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
    public static func exchange(
        port: Int, sending chunks: [String], deadline: TimeAmount = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RawExchange {
        let channel = try await ClientBootstrap(group: group)
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
                for try await frame in inbound { lines.append(String(buffer: frame)) }
            } catch {
                // A reset after the hub's last line still leaves the lines read so far.
            }
            return lines
        }
        timer.cancel()
        return RawExchange(lines: lines, closedByPeer: !timedOut.value)
    }
}

private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false

    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}
