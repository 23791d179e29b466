/// Why a phone number was refused, in words a user can act on.
public enum PhoneParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No digits, or letters and symbols where a number should be (`n/a`, `call me`).
    case notANumber
    /// `+` followed by digits that start no country calling code.
    case invalidCountryCode
    /// No `+`, no international prefix, and no default region to dial it from.
    case needsRegion
    /// Parsed, but no number of that country has that length and those leading digits.
    case invalid

    public var description: String {
        switch self {
        case .notANumber: "not a phone number"
        case .invalidCountryCode: "unknown country calling code"
        case .needsRegion:
            "no country code, and no region to read it in: write it as +<country code> <number>, give the row a country, or set a default region (leadsync init --region DE)"
        case .invalid: "not a valid number for its country (wrong length or leading digits)"
        }
    }
}
