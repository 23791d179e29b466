/// A hybrid logical clock timestamp: wall milliseconds plus a counter. It orders concurrent
/// operations close to real time while never running backwards, even when wall clocks disagree.
public struct HLC: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let wallMillis: Int64
    public let counter: UInt16

    public init(wallMillis: Int64, counter: UInt16 = 0) {
        self.wallMillis = wallMillis
        self.counter = counter
    }

    /// One sortable 64-bit integer: `wallMillis << 16 | counter`. Used as the storage key.
    public var packed: Int64 { wallMillis << 16 | Int64(counter) }

    public init(packed: Int64) {
        self.init(wallMillis: packed >> 16, counter: UInt16(truncatingIfNeeded: packed & 0xFFFF))
    }

    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.packed < rhs.packed }

    public var description: String { "\(wallMillis).\(counter)" }

    /// Encoded as `[wallMillis, counter]`: both parts stay exact in every JSON parser.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let wall = try container.decode(Int64.self)
        let counter = try container.decode(UInt16.self)
        guard wall >= 0, wall < 1 << 47 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "hlc wall time out of range")
        }
        self.init(wallMillis: wall, counter: counter)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(wallMillis)
        try container.encode(counter)
    }
}

/// The generator side of a hybrid logical clock (Kulkarni et al.): advanced on every local event
/// and on every received timestamp, so a causally later event always carries a larger HLC.
public struct HLCGenerator: Sendable {
    public private(set) var last: HLC

    public init(last: HLC = HLC(wallMillis: 0)) {
        self.last = last
    }

    /// A timestamp for a new local event at wall time `now`.
    public mutating func tick(now: Int64) -> HLC {
        last = Self.advance(last, now: now)
        return last
    }

    /// Takes in a timestamp seen on a received operation.
    public mutating func observe(_ remote: HLC, now: Int64) {
        let base = remote > last ? remote : last
        if now > base.wallMillis {
            last = HLC(wallMillis: now)
        } else {
            last = base
        }
    }

    private static func advance(_ last: HLC, now: Int64) -> HLC {
        if now > last.wallMillis { return HLC(wallMillis: now) }
        if last.counter == .max { return HLC(wallMillis: last.wallMillis + 1) }
        return HLC(wallMillis: last.wallMillis, counter: last.counter + 1)
    }
}
