import Foundation
import LeadSyncCore

/// Turns messages into lines and lines into messages. A line here is the JSON text without its
/// terminating `\n`; framing (splitting the byte stream, enforcing the length limit) is the
/// transport's job. Decoding failures are ``ProtocolError``s carrying the code to send back.
public enum LineCodec {
    /// Encodes a message as one line of JSON (no newline inside, none at the end).
    public static func encode(_ message: Message) -> String {
        switch message {
        case .hello(let hello):
            return json(Envelope(type: message.type, body: hello))
        case .welcome(let welcome):
            return json(Envelope(type: message.type, body: welcome))
        case .ops(let ops):
            return encodeOps(bodies: ops.map(\.json))
        case .ack(let clock):
            return json(Envelope(type: message.type, body: ClockBody(clock: clock)))
        case .done:
            return #"{"type":"done"}"#
        case .error(let error):
            return json(Envelope(type: message.type, body: error))
        }
    }

    /// An `ops` line built from operations already in wire form (as the op log stores them), so a
    /// sender streams its log without decoding and re-encoding every operation.
    public static func encodeOps(bodies: [String]) -> String {
        var line = #"{"ops":["#
        line.reserveCapacity(opsOverhead + bodies.reduce(0) { $0 + $1.utf8.count + 1 })
        for (index, body) in bodies.enumerated() {
            if index > 0 { line += "," }
            line += body
        }
        line += #"],"type":"ops"}"#
        return line
    }

    /// Bytes an `ops` line adds around its comma-separated bodies.
    public static let opsOverhead = #"{"ops":[],"type":"ops"}"#.utf8.count

    /// Decodes one line into a message, or throws the error to answer it with. The line is parsed
    /// once: an `ops` line carries a whole batch, and parsing it twice would halve the hub's rate.
    /// Only a line the fast path (``decodeOps(_:)``) gives up on is parsed again, by `JSONDecoder`.
    public static func decode(_ line: some Sequence<UInt8>) throws(ProtocolError) -> Message {
        if case let ops?? = line.withContiguousStorageIfAvailable(decodeOps) { return .ops(ops) }
        return try decodeWithFoundation(line)
    }

    /// Like ``decode(_:)``, and for an `ops` line the fast path read, each operation's text as it
    /// stands in the line: a hub stores and forwards that text instead of encoding the operation
    /// again. `opTexts` is nil for other lines and for operations only `JSONDecoder` could read.
    public static func decodeKeepingOpText(
        _ line: some Sequence<UInt8>
    ) throws(ProtocolError) -> (message: Message, opTexts: [String]?) {
        if case let batch?? = line.withContiguousStorageIfAvailable({ decodeOpsLine($0, keepingText: true) }) {
            return (.ops(batch.ops), batch.texts)
        }
        return (try decodeWithFoundation(line), nil)
    }

    /// The hub's hot path: a plain `ops` line, keys in any order, decoded without Foundation.
    /// `nil` for anything else, valid or not, which ``decodeWithFoundation(_:)`` then decodes or
    /// refuses with its exact error.
    static func decodeOps(_ line: UnsafeBufferPointer<UInt8>) -> [Op]? {
        decodeOpsLine(line, keepingText: false)?.ops
    }

    private static func decodeOpsLine(_ line: UnsafeBufferPointer<UInt8>, keepingText: Bool) -> (ops: [Op], texts: [String])? {
        var parser = OpParser(line)
        guard var more = parser.scanner.beginObject() else { return nil }
        var ops: (ops: [Op], texts: [String])?
        var typed = false
        while more {
            guard let key = parser.scanner.key() else { return nil }
            switch key {
            case "ops" where ops == nil:
                let batch = keepingText ? parser.opsWithText() : parser.ops().map { ($0, []) }
                guard let batch, !batch.ops.isEmpty else { return nil }
                ops = batch
            case "type" where !typed:
                guard parser.scanner.string() == "ops" else { return nil }
                typed = true
            default:
                return nil
            }
            guard let next = parser.scanner.nextMember() else { return nil }
            more = next
        }
        guard typed, parser.scanner.isAtEnd() else { return nil }
        return ops
    }

    /// Decodes any line with `JSONDecoder`; its errors are the ones peers see.
    static func decodeWithFoundation(_ line: some Sequence<UInt8>) throws(ProtocolError) -> Message {
        do {
            return try JSONDecoder().decode(LineEnvelope.self, from: Data(line)).message
        } catch let error as ProtocolError {
            throw error
        } catch {
            throw ProtocolError(.badJSON, "expected one JSON object with a string \"type\": \(summary(error))")
        }
    }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static func json<Body: Encodable>(_ envelope: Envelope<Body>) -> String {
        // Messages are plain value types with string keys: encoding cannot fail.
        String(decoding: try! makeEncoder().encode(envelope), as: UTF8.self)
    }

    /// A decoding error in one line of text a peer can read.
    static func summary(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)'\(path(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context):
            return "expected \(type)\(path(context))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription)\(path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A message's own keys plus `type`, flattened into one JSON object.
private struct Envelope<Body: Encodable>: Encodable {
    let type: String
    let body: Body

    enum CodingKeys: String, CodingKey { case type }

    func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
    }
}

/// A whole line: reads `type`, then decodes that message's body from the same parsed object.
private struct LineEnvelope: Decodable {
    let message: Message

    enum CodingKeys: String, CodingKey { case type, `protocol` }

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<CodingKeys>
        let type: String
        do {
            container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
        } catch {
            throw ProtocolError(.badJSON, "expected one JSON object with a string \"type\": \(LineCodec.summary(error))")
        }
        do {
            switch type {
            case "hello":
                try Self.checkVersion(container, ours: "this hub", theirs: "the client")
                message = .hello(try Hello(from: decoder))
            case "welcome":
                try Self.checkVersion(container, ours: "this client", theirs: "the hub")
                message = .welcome(try Welcome(from: decoder))
            case "ops":
                message = .ops(try OpsBody(from: decoder).ops)
            case "ack":
                message = .ack(try ClockBody(from: decoder).clock)
            case "done":
                message = .done
            case "error":
                message = .error(try ProtocolError(from: decoder))
            default:
                throw ProtocolError(.unknownType, "unknown message type '\(type.prefix(64))'")
            }
        } catch let error as ProtocolError {
            throw error
        } catch let error as OpDecodingFailure {
            throw ProtocolError(.invalidOp, "operation #\(error.index + 1) of the batch: \(LineCodec.summary(error.underlying))")
        } catch {
            throw ProtocolError(.invalidMessage, "malformed '\(type)' message: \(LineCodec.summary(error))")
        }
    }

    private static func checkVersion(_ container: KeyedDecodingContainer<CodingKeys>, ours: String, theirs: String) throws {
        let version = try container.decode(Int.self, forKey: .protocol)
        guard version == ProtocolVersion.current else {
            throw ProtocolError(.protocolMismatch, "\(ours) speaks protocol \(ProtocolVersion.current), \(theirs) \(version)")
        }
    }
}

private struct ClockBody: Codable { let clock: VectorClock }

/// Which operation of a batch failed to decode, so the error names it.
private struct OpDecodingFailure: Error {
    let index: Int
    let underlying: any Error
}

private struct OpsBody: Decodable {
    let ops: [Op]

    enum CodingKeys: String, CodingKey { case ops }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .ops)
        var ops: [Op] = []
        while !list.isAtEnd {
            do {
                ops.append(try list.decode(Op.self))
            } catch {
                throw OpDecodingFailure(index: ops.count, underlying: error)
            }
        }
        guard !ops.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .ops, in: container, debugDescription: "a batch holds at least one operation")
        }
        self.ops = ops
    }
}
