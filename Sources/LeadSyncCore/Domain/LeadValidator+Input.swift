extension LeadValidator {
    /// Input from people and files for `field`: e-mail addresses checked and made canonical (see
    /// ``email(_:)``), phone fields parsed (see ``phone(_:region:)``),
    /// a country name or code becomes its ISO 3166-1 alpha-2 code (other text is kept as it is),
    /// everything else is ``normalize(_:for:)``. An empty value stays empty (clears the field).
    public static func normalizeInput(_ value: String, for field: FieldName, region: String?) throws(LeadError) -> String {
        if field == .standard(.country) { return try country(value) }
        if field == .standard(.email), !collapseWhitespace(value).isEmpty { return try email(value) }
        guard isPhoneField(field), !collapseWhitespace(value).isEmpty else { return try normalize(value, for: field) }
        return try phone(value, region: region)
    }

    /// For `add` and `set`: like ``normalizeInput(_:for:region:)``, except that a phone number
    /// that does not parse (no region configured, a number libphonenumber does not know) is kept
    /// as typed if it passes the basic character rule, so a rep is never blocked from noting it.
    public static func normalizeTyped(_ value: String, for field: FieldName, region: String?) throws(LeadError) -> String {
        if field == .standard(.country) { return try country(value) }
        if field == .standard(.email), !collapseWhitespace(value).isEmpty { return try email(value) }
        guard isPhoneField(field), !collapseWhitespace(value).isEmpty else { return try normalize(value, for: field) }
        if let parsed = try? phone(value, region: region) { return parsed }
        return try normalize(value, for: field)
    }

    /// A country field: the alpha-2 code when the text names a country, else the text itself.
    static func country(_ value: String) throws(LeadError) -> String {
        let normalized = try normalize(value, for: .standard(.country))
        return countryCode(normalized) ?? normalized
    }
}
