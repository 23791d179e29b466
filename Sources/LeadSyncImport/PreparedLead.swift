import LeadSyncCore
import LeadSyncExchange
import LeadSyncStore

/// A draft from a file or a badge, validated and normalised by the store's rules, ready to
/// become a `create` (and `note`) change or an update of an existing lead.
///
/// Validation happens here, before anything is written, so a refused row never leaves half a
/// lead behind and its reason is exactly the store's message naming the field.
struct PreparedLead: Sendable {
    /// The validated `create` change (fields normalised, tags checked, stage).
    let create: Change
    /// The lead row ``create`` makes, worked out here, on the reading thread, rather than in the
    /// store's transaction.
    let row: NewLeadRow
    /// The normalised fields of ``create``.
    let fields: [FieldName: String]
    /// Fields that hold a default (`--source`, `--event`, the format's source) rather than the
    /// row's own value; an update only fills them where the lead has nothing yet.
    let defaulted: Set<FieldName>
    /// The row's own lifecycle stage, if it named one.
    let stage: LifecycleStage?
    let tags: [String]
    /// Validated notes in file order.
    let notes: [String]

    /// The normalised e-mail, the duplicate key.
    var email: String? { fields[.standard(.email)] }

    /// Values of the row that failed validation and were left out of the lead (lenient mode only).
    let setAside: [SetAsideValue]

    /// Validates `draft`, filling `defaults` (field name → value) where the draft has no value.
    ///
    /// Strict: any invalid value refuses the row. Lenient (the import default): an invalid value
    /// is set aside (kept as text in an `x_<field>_raw` custom field where it fits, and reported)
    /// and only a row with nothing to identify a person is refused.
    /// Throws ``ImportRowError`` with the store's message.
    ///
    /// Phone fields are parsed to E.164 (``LeadValidator/phone(_:region:)``), dialled from the
    /// row's country, else the rules' region (the replica's default). CRM owners and sources are
    /// resolved first (``RowRules/resolveCRMColumns(_:)``).
    init(_ draft: LeadDraft, defaults: [String: String], rules: RowRules = RowRules()) throws(ImportRowError) {
        var raw = draft.fields
        let stageText = raw.removeValue(forKey: Store.stageFieldName)
        var defaultedNames: [String] = []
        for (name, value) in defaults where raw[name] == nil {
            raw[name] = value
            defaultedNames.append(name)
        }
        rules.resolveCRMColumns(&raw)
        let phoneRegion = Self.phoneRegion(country: raw[LeadField.country.rawValue], fallback: rules.region)
        if rules.strict {
            do {
                stage = try stageText.map { (text: String) throws(LeadError) in try LeadValidator.stage(text) }
                notes = try draft.notes.map { (text: String) throws(LeadError) in try LeadValidator.note(text) }
            } catch {
                throw ImportRowError(error.description)
            }
            setAside = []
            do {
                for (name, value) in raw {
                    raw[name] = try LeadValidator.normalizeInput(value, for: try FieldName(validating: name), region: phoneRegion)
                }
            } catch {
                throw ImportRowError(error.description)
            }
            do {
                create = try Store.createChange(fields: raw, stage: stage ?? .lead, tags: draft.tags)
            } catch {
                throw ImportRowError(error.description)
            }
        } else {
            var sorter = SetAsideSorter()
            stage = stageText.flatMap { text in
                sorter.attempt(field: Store.stageFieldName, value: text) { () throws(LeadError) in try LeadValidator.stage(text) }
            }
            notes = draft.notes.compactMap { text in
                sorter.attempt(field: "notes", value: text, keep: false) { () throws(LeadError) in try LeadValidator.note(text) }
            }
            let tags = draft.tags.compactMap { tag in
                sorter.attempt(field: "tags", value: tag) { () throws(LeadError) in try LeadValidator.tag(tag) }
            }
            var fields: [String: String] = [:]
            fields.reserveCapacity(raw.count)
            for (name, value) in raw {
                let kept = sorter.attempt(field: name, value: value) { () throws(LeadError) in
                    try LeadValidator.normalizeInput(value, for: try FieldName(validating: name), region: phoneRegion)
                }
                if let kept { fields[name] = kept }
            }
            for (name, value) in sorter.keptFields where fields[name] == nil { fields[name] = value }
            setAside = sorter.values
            do {
                create = try Store.createChange(fields: fields, stage: stage ?? .lead, tags: tags)
            } catch {
                throw ImportRowError(error.description)
            }
        }
        guard case .create(let fields, _, let tags) = create, let row = NewLeadRow(create) else {
            preconditionFailure("createChange makes a create")
        }
        self.row = row
        self.fields = fields
        self.tags = tags
        defaulted = Set(defaultedNames.compactMap { try? FieldName(validating: $0) })
    }

    /// The region phone numbers of a row are read in: its country when that names one, else `fallback`.
    static func phoneRegion(country: String?, fallback: String?) -> String? {
        guard let country else { return fallback }
        return LeadValidator.countryCode(country) ?? fallback
    }

    /// The changes that bring `lead` up to date with this row: one `set` with the row's
    /// non-empty fields that differ (defaults only where the lead has no value; the e-mail
    /// only if it differs beyond case), a `stage`
    /// change if the row names another stage, a `tag` change with the tags it lacks, and one
    /// `note` per note it does not have yet. Empty when the lead already has it all.
    func updateChanges(for lead: Lead, existingNotes: [String]) -> [Change] {
        var changes: [Change] = []
        var set: [FieldName: String] = [:]
        for (field, value) in fields where !value.isEmpty {
            let current = lead.fields[field.rawValue]
            // The match key: a different spelling of the same address is no change.
            if field == .standard(.email), let current, current.lowercased() == value.lowercased() { continue }
            if defaulted.contains(field) {
                if current == nil { set[field] = value }
            } else if current != value {
                set[field] = value
            }
        }
        if !set.isEmpty { changes.append(.set(set)) }
        if let stage, stage != lead.stage { changes.append(.stage(stage)) }
        let missingTags = tags.filter { !lead.tags.contains($0) }
        if !missingTags.isEmpty { changes.append(.tag(missingTags)) }
        var known = Set(existingNotes)
        for note in notes where known.insert(note).inserted { changes.append(.note(note)) }
        return changes
    }

    /// A short label for reports: "First Last <email>", or whatever identifies the lead.
    var label: String {
        let name = [fields[.standard(.firstName)], fields[.standard(.lastName)]].compactMap { $0 }.joined(separator: " ")
        switch (name.isEmpty, email) {
        case (false, let email?): return "\(name) <\(email)>"
        case (false, nil): return name
        case (true, let email?): return email
        case (true, nil): return fields[.standard(.company)] ?? ""
        }
    }
}

/// Why one row or card could not be imported, in the store's or the parser's words.
public struct ImportRowError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    /// The line the problem is on when it is not the row's first line (inside a vCard).
    public let line: Int?

    public init(_ description: String, line: Int? = nil) {
        self.description = description
        self.line = line
    }
}
