import Foundation

/// What a replica (or an operation's creator) has seen: for every actor, the highest sequence number
/// applied from it contiguously. Causality between operations is decided by these clocks alone,
/// never by wall time, so a rep whose laptop clock is wrong cannot overwrite newer data.
public struct VectorClock: Sendable, Hashable, Codable {
    public private(set) var entries: [ActorID: UInt64]

    public init(_ entries: [ActorID: UInt64] = [:]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    public subscript(actor: ActorID) -> UInt64 {
        get { entries[actor] ?? 0 }
        set { entries[actor] = newValue == 0 ? nil : newValue }
    }

    /// True when the operation `(origin, seq)` is already known to this clock.
    public func covers(origin: ActorID, seq: UInt64) -> Bool {
        self[origin] >= seq
    }

    /// True when everything `other` has seen is also seen here.
    public func dominates(_ other: VectorClock) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    /// The pointwise maximum: what a replica knows after learning everything `other` knows.
    public func merging(_ other: VectorClock) -> VectorClock {
        var result = self
        for (actor, seq) in other.entries where seq > result[actor] {
            result[actor] = seq
        }
        return result
    }

    /// Entries of `self` that differ from `base`: the compact form used in the op log and on the wire.
    public func delta(from base: VectorClock) -> VectorClock {
        VectorClock(entries.filter { base[$0.key] != $0.value })
    }

    /// Total number of operations this clock covers.
    public var operationCount: UInt64 { entries.values.reduce(0, +) }

    public init(from decoder: any Decoder) throws {
        // Read as decimals: `JSONDecoder` would read `1e-400` as 0 (see `ExactInteger`).
        let raw = try [String: Decimal](from: decoder)
        var entries: [ActorID: UInt64] = [:]
        for (key, value) in raw {
            guard value.isFinite, let seq = UInt64(value.description) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath, debugDescription: "clock entry '\(key)' is not a seq: \(value)"))
            }
            entries[try ActorID(validating: key)] = seq
        }
        self.init(entries)
    }

    public func encode(to encoder: any Encoder) throws {
        var raw: [String: UInt64] = [:]
        for (actor, seq) in entries { raw[actor.rawValue] = seq }
        try raw.encode(to: encoder)
    }
}
