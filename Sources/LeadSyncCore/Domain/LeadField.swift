/// The standard fields of a lead. Custom fields use the `x_` prefix and are handled as
/// ``FieldName/custom(_:)``. The lifecycle stage is not a field: it has its own merge policy.
public enum LeadField: String, Sendable, CaseIterable, Codable {
    case firstName = "first_name"
    case lastName = "last_name"
    case email
    case phone
    case company
    case jobTitle = "job_title"
    case street
    case postalCode = "postal_code"
    case city
    case region
    case country
    case website
    case source
    case event
    case owner
    case kind
}

/// A field a write may name: a standard field or a custom `x_` field.
public enum FieldName: Sendable, Hashable, Comparable, CustomStringConvertible {
    case standard(LeadField)
    case custom(String)

    /// Parses a user- or wire-supplied name; anything else is an ``LeadError/unknownField(_:)``.
    public init(validating raw: String) throws(LeadError) {
        if let field = Self.standardFields[raw] {
            self = .standard(field)
        } else if Self.isCustomName(raw) {
            self = .custom(raw)
        } else {
            throw .unknownField(raw)
        }
    }

    /// One hash lookup instead of the synthesized `init(rawValue:)`'s comparison with every case:
    /// every field of every imported row and received operation is parsed here.
    private static let standardFields = Dictionary(uniqueKeysWithValues: LeadField.allCases.map { ($0.rawValue, $0) })

    public var rawValue: String {
        switch self {
        case .standard(let field): field.rawValue
        case .custom(let name): name
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: FieldName, rhs: FieldName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `x_` followed by 1-62 of a-z, 0-9 and `_`.
    public static func isCustomName(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        guard bytes.count >= 3, bytes.count <= 64, bytes[0] == UInt8(ascii: "x"), bytes[1] == UInt8(ascii: "_") else {
            return false
        }
        return bytes.dropFirst(2).allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
