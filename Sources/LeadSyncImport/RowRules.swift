import LeadSyncCore

/// How an import validates each row: strict or lenient, the default phone region, and the reps
/// an owner column may name.
struct RowRules: Sendable {
    /// Any invalid value refuses the row (``ImportOptions/strict``).
    var strict = true
    /// ISO 3166-1 alpha-2 region for phone numbers when the row names no country.
    var region: String?
    /// Node names known to the replica.
    var knownNodes: Set<String> = []

    /// CRM columns that LeadSync's fields cannot take as they are, made to fit without losing
    /// anything: an owner that is not a node name or e-mail becomes the known node it names
    /// (`Anna Schmidt` → `anna-schmidt` or `anna.schmidt`), else it is kept as the owner's
    /// display name in `x_owner_name`; a lead source LeadSync does not know (`LinkedIn`)
    /// becomes `other` with the original kept in `x_source_raw`.
    func resolveCRMColumns(_ fields: inout [String: String]) {
        if let source = fields[LeadField.source.rawValue], !source.isEmpty,
           (try? LeadValidator.normalize(source, for: .standard(.source))) == nil {
            if fields["x_source_raw"] == nil { fields["x_source_raw"] = source }
            fields[LeadField.source.rawValue] = LeadSource.other.rawValue
        }
        if let owner = fields[LeadField.owner.rawValue], !owner.isEmpty,
           (try? LeadValidator.normalize(owner, for: .standard(.owner))) == nil {
            if let node = knownNode(named: owner) {
                fields[LeadField.owner.rawValue] = node
            } else {
                fields.removeValue(forKey: LeadField.owner.rawValue)
                if fields["x_owner_name"] == nil { fields["x_owner_name"] = owner }
            }
        }
    }

    /// The known node a person's name stands for: its words joined by `-`, `.`, `_` or nothing.
    func knownNode(named name: String) -> String? {
        let words = CountryNames.fold(name).split(separator: " ")
        guard !words.isEmpty else { return nil }
        for separator in ["-", ".", "_", ""] {
            let candidate = words.joined(separator: separator)
            if knownNodes.contains(candidate) { return candidate }
        }
        return nil
    }
}
