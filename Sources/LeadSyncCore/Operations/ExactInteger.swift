import Foundation

/// Reads JSON integers exactly. `JSONDecoder` reads a number such as `1e-400` or
/// `1.0000000000000000001` through a `Double` and hands back 0 or 1 for it; a peer must not be able
/// to slip such a value past the checks (`OpParser` refuses it, so both paths then agree). Going
/// through `Decimal` keeps every digit, and only a number that is an integer in range is accepted.
enum ExactInteger {
    static func decode<T: FixedWidthInteger>(from container: inout any UnkeyedDecodingContainer) throws -> T {
        let decimal = try container.decode(Decimal.self)
        guard let value: T = integer(decimal) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(decimal) is not an integer in range")
        }
        return value
    }

    static func decode<T: FixedWidthInteger, K: CodingKey>(
        _ key: K, from container: KeyedDecodingContainer<K>
    ) throws -> T {
        let decimal = try container.decode(Decimal.self, forKey: key)
        guard let value: T = integer(decimal) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(decimal) is not an integer in range")
        }
        return value
    }

    static func decodeIfPresent<T: FixedWidthInteger, K: CodingKey>(
        _ key: K, from container: KeyedDecodingContainer<K>
    ) throws -> T? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        return try decode(key, from: container)
    }

    /// The integer `decimal` is, if it is one that `T` holds. `Decimal`'s description of an integer
    /// is its plain digits, which `T` parses only when they fit.
    private static func integer<T: FixedWidthInteger>(_ decimal: Decimal) -> T? {
        guard decimal.isFinite else { return nil }
        return T(decimal.description)
    }
}
