import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// The owner a `route` line gave a new lead.
public struct RoutedOwner: Sendable, Hashable {
    /// The owner, in the canonical form of the `owner` field (node name, or email).
    public let owner: String
    /// The 1-based line of the `route` rule in the rules file.
    public let line: Int

    public init(owner: String, line: Int) {
        self.owner = owner
        self.line = line
    }
}

/// Capture with routing: a new lead without an owner gets the owner of the first matching `route`.
public enum LeadCapture {
    /// `change` with its owner set by `rules` when it is a `create` without an owner and a route
    /// matches; otherwise `change` unchanged. Routing sees the lead as captured: fields, stage and
    /// tags, no activities. A routed owner that the `owner` field would refuse (the rules accept a
    /// few e-mail shapes the field does not) is skipped, as if the route did not match.
    public static func routed(_ change: Change, rules: Rules) -> (change: Change, route: RoutedOwner?) {
        guard case .create(var fields, let stage, let tags) = change, fields[.standard(.owner)] == nil else {
            return (change, nil)
        }
        let facts = LeadFacts(
            id: "", fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.key.rawValue, $0.value) }),
            stage: stage.rawValue, tags: tags)
        guard let route = rules.route(facts),
              let normalized = try? LeadValidator.normalize(route.owner, for: .standard(.owner)), !normalized.isEmpty
        else { return (change, nil) }
        fields[.standard(.owner)] = normalized
        return (.create(fields: fields, stage: stage, tags: tags), RoutedOwner(owner: normalized, line: route.line))
    }

    /// Captures a new lead like ``Store/add(fields:stage:tags:note:)``, routing it with the
    /// store's active rules when no owner is given. One transaction.
    ///
    /// - Returns: The new lead's id and the route that set its owner, if any.
    public static func add(
        to store: Store, fields: [String: String], stage: LifecycleStage = .lead, tags: [String] = [],
        note: String? = nil, rules: ActiveRules? = nil
    ) throws(StoreError) -> (id: RecordID, route: RoutedOwner?) {
        let create = try Store.createChange(fields: fields, stage: stage, tags: tags)
        let active: ActiveRules
        if let rules { active = rules } else { active = try ActiveRules.load(from: store) }
        let (change, route) = routed(create, rules: active.rules)
        var changes = [change]
        if let note {
            do {
                changes.append(.note(try LeadValidator.note(note)))
            } catch {
                throw .invalidInput(error.description)
            }
        }
        var generator = SystemRandomNumberGenerator()
        let record = RecordID.random(using: &generator)
        try store.commit(changes, to: record)
        return (record, route)
    }
}
