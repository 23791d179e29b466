/// A telephone number parsed with libphonenumber's rules: country calling code, national
/// (significant) number and an optional extension.
///
/// Stored as E.164 plus an RFC 3966 `;ext=` parameter (`+49301234567;ext=12`), so one number has
/// one spelling for duplicate detection and routing; shown in international format.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public let countryCode: Int
    /// The national significant number: digits only, without the trunk prefix.
    public let nationalNumber: String
    /// Extension digits, nil when there is none.
    public let phoneExtension: String?

    public init(countryCode: Int, nationalNumber: String, phoneExtension: String? = nil) {
        self.countryCode = countryCode
        self.nationalNumber = nationalNumber
        self.phoneExtension = phoneExtension
    }

    /// `+<country code><national number>`.
    public var e164: String { "+\(countryCode)\(nationalNumber)" }

    /// The stored form: E.164, plus `;ext=<digits>` when there is an extension.
    public var stored: String { e164 + (phoneExtension.map { ";ext=" + $0 } ?? "") }

    /// International format for people: `+49 30 1234567 ext. 12`.
    public var international: String {
        let grouped = PhoneMetadata.shared.regions(forCode: countryCode).lazy
            .compactMap { $0.formatted(self.nationalNumber) }.first
        return "+\(countryCode) " + (grouped ?? nationalNumber) + (phoneExtension.map { " ext. " + $0 } ?? "")
    }

    public var description: String { stored }
}
