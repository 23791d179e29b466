/// Why a lead's input was refused. Messages name the field and say what is allowed.
public enum LeadError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownField(String)
    case invalidEmail(String)
    case invalidPhone(String)
    /// A phone number libphonenumber's rules refuse, and why.
    case invalidPhoneNumber(value: String, reason: String)
    case invalidValue(field: String, value: String, allowed: [String])
    case invalidOwner(String)
    case invalidTag(String)
    case tooLong(field: String, limit: Int)
    case emptyName
    /// NUL or another control character (not TAB, LF, CR) at a 1-based character position.
    case controlCharacter(field: String, position: Int, scalar: UInt32)

    public var description: String {
        switch self {
        case .unknownField(let name):
            "unknown field '\(name)': use one of \(LeadField.allCases.map(\.rawValue).joined(separator: ", ")), lifecycle_stage, or a custom field x_name"
        case .invalidEmail(let value):
            "invalid email '\(value)': expected name@domain.tld"
        case .invalidPhone(let value):
            "invalid phone '\(value)': use digits, spaces and + - ( ) / . with at least 3 digits"
        case .invalidPhoneNumber(let value, let reason):
            "invalid phone '\(value)': \(reason)"
        case .invalidValue(let field, let value, let allowed):
            "invalid \(field) '\(value)': use one of \(allowed.joined(separator: ", "))"
        case .invalidOwner(let value):
            "invalid owner '\(value)': use a node name (a-z, 0-9, '.', '_', '-') or an email address"
        case .invalidTag(let value):
            "invalid tag '\(value)': use 1-64 characters without spaces or commas"
        case .tooLong(let field, let limit):
            "\(field) is too long: at most \(limit) characters"
        case .emptyName:
            "a lead needs at least one of first_name, last_name, email, phone, company"
        case .controlCharacter(let field, let position, let scalar):
            "\(field) contains the control character U+\(String(scalar, radix: 16, uppercase: true).leftPadded(to: 4)) at character \(position): "
                + "remove it (tab, line feed and carriage return are the only control characters a value may hold); nothing was written"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
