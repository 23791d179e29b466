import LeadSyncPhone

extension LeadValidator {
    /// Whether `field` holds a phone number: `phone` and the `x_phone_*` custom fields (mobile,
    /// fax, further vCard TELs), but not `x_phone_raw`, where an import keeps a refused value.
    public static func isPhoneField(_ field: FieldName) -> Bool {
        switch field {
        case .standard(let standard): standard == .phone
        case .custom(let name): name.hasPrefix("x_phone_") && !name.hasSuffix("_raw")
        }
    }

    /// A typed phone number in its stored form, `+49301234567` or `+49301234567;ext=12`, parsed
    /// with libphonenumber's rules; `region` (ISO 3166-1 alpha-2) is where a number without a
    /// country code is dialled. Refuses what is not a valid number, saying why.
    public static func phone(_ value: String, region: String?) throws(LeadError) -> String {
        let collapsed = collapseWhitespace(value)
        guard collapsed.utf8.count <= maxFieldLength else { throw .tooLong(field: "phone", limit: maxFieldLength) }
        do {
            return try PhoneNumberParser.parse(collapsed, region: region).stored
        } catch {
            throw .invalidPhoneNumber(value: value, reason: error.description)
        }
    }

    /// A stored phone number in international format for display (`+49 30 1234567 ext. 12`);
    /// values stored before numbers were parsed are shown as they are.
    public static func displayPhone(_ stored: String) -> String {
        guard stored.hasPrefix("+"), let number = try? PhoneNumberParser.parse(stored, region: nil) else { return stored }
        return number.international
    }

    /// Whether phone numbers can be read in `region` (an ISO 3166-1 alpha-2 code).
    public static func isPhoneRegion(_ region: String) -> Bool {
        PhoneNumberParser.knows(region: region)
    }
}
