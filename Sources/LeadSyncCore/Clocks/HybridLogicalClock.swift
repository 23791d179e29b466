/// A hybrid logical clock timestamp: wall milliseconds plus a counter. It orders concurrent
/// operations close to real time while never running backwards, even when wall clocks disagree.
public struct HLC: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let wallMillis: Int64
    public let counter: UInt16

    public init(wallMillis: Int64, counter: UInt16 = 0) {
        self.wallMillis = wallMillis
        self.counter = counter
    }

    /// The latest wall time an operation may carry, 2^46 - 1 ms (in the year 4199); receivers refuse
    /// later ones (`invalid_op`). Half the range `packed` can hold, so nothing derived from an
    /// accepted timestamp overflows; generators stop at ``max`` (``HLCGenerator``). A hub refuses
    /// far less, relative to its own clock: see `ClockPolicy` and `Protocol/README.md` section 4.
    public static let maxWallMillis: Int64 = (1 << 46) - 1
    /// The largest timestamp any replica accepts or makes.
    public static let max = HLC(wallMillis: maxWallMillis, counter: .max)

    /// Whether `wall` is a wall time an operation may carry: from 1970 to ``maxWallMillis``.
    public static func isValidWall(_ wall: Int64) -> Bool {
        (0...maxWallMillis).contains(wall)
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
        let wall: Int64 = try ExactInteger.decode(from: &container)
        let counter: UInt16 = try ExactInteger.decode(from: &container)
        guard Self.isValidWall(wall) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "hlc wall time \(wall) out of range 0...\(Self.maxWallMillis)")
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
///
/// It never leaves `0...HLC.max`, whatever it is fed: wall times are clamped into range, and at
/// ``HLC/max`` it stays there instead of overflowing (ordering then falls back to the origin
/// tie-break, as for any equal timestamps; causally ordered writes never depend on it). So no
/// received value can push a replica's clock out of the range every receiver accepts.
public struct HLCGenerator: Sendable {
    public private(set) var last: HLC

    public init(last: HLC = HLC(wallMillis: 0)) {
        self.last = Self.clamped(last)
    }

    /// A timestamp for a new local event at wall time `now`.
    public mutating func tick(now: Int64) -> HLC {
        last = Self.advance(last, now: Self.clamped(now))
        return last
    }

    /// Takes in a timestamp seen on a received operation.
    public mutating func observe(_ remote: HLC, now: Int64) {
        let remote = Self.clamped(remote)
        let base = remote > last ? remote : last
        let now = Self.clamped(now)
        if now > base.wallMillis {
            last = HLC(wallMillis: now)
        } else {
            last = base
        }
    }

    private static func advance(_ last: HLC, now: Int64) -> HLC {
        if now > last.wallMillis { return HLC(wallMillis: now) }
        if last.counter < .max { return HLC(wallMillis: last.wallMillis, counter: last.counter + 1) }
        return last.wallMillis < HLC.maxWallMillis ? HLC(wallMillis: last.wallMillis + 1) : HLC.max
    }

    private static func clamped(_ wall: Int64) -> Int64 {
        Swift.min(Swift.max(wall, 0), HLC.maxWallMillis)
    }

    /// A stored timestamp out of range (written before the bound existed) becomes the nearest valid one.
    /// (A negative one is an overflow of the largest.)
    private static func clamped(_ hlc: HLC) -> HLC {
        HLC.isValidWall(hlc.wallMillis) ? hlc : HLC.max
    }
}
