/// An identifier that is a validated string: it encodes as that string, decodes only when valid,
/// and orders and prints as the string.
public protocol ValidatedIdentifier: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    var rawValue: String { get }
    init(validating raw: String) throws(IdentityError)
}

extension ValidatedIdentifier {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try String(from: decoder)
        do { try self.init(validating: raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws { try rawValue.encode(to: encoder) }
}
