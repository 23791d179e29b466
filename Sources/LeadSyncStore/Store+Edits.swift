import GRDB
import LeadSyncCore

/// One field edit as a user gives it (`leadsync set ID FIELD=VALUE`): a field name and its new
/// value; an empty value clears the field. `lifecycle_stage` is accepted too and becomes a stage change.
public struct FieldAssignment: Sendable, Hashable {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }
}

extension Store {
    /// The name under which `set` accepts the lifecycle stage.
    public static let stageFieldName = "lifecycle_stage"

    /// Makes consecutive operations for several changes to one lead and applies them in ONE
    /// transaction: either all of them are on disk, or none is.
    @discardableResult
    public func commit(_ changes: [Change], to record: RecordID) throws(StoreError) -> [Op] {
        try commit(changes.map { (change: $0, record: record) })
    }

    /// Captures a new lead and, when `note` is given, its first note, in one transaction.
    public func add(
        fields: [String: String], stage: LifecycleStage = .lead, tags: [String] = [], note: String? = nil
    ) throws(StoreError) -> RecordID {
        var changes = [try Self.createChange(fields: fields, stage: stage, tags: tags)]
        if let note { changes.append(.note(try Self.validated { () throws(LeadError) in try LeadValidator.note(note) })) }
        var generator = SystemRandomNumberGenerator()
        let record = RecordID.random(using: &generator)
        try commit(changes, to: record)
        return record
    }

    /// The changes that make a list of field assignments: one `set` holding every contact and
    /// custom field, and a `stage` change for `lifecycle_stage`. Everything is validated first, so
    /// a bad value means nothing is written.
    public static func editChanges(_ assignments: [FieldAssignment]) throws(StoreError) -> [Change] {
        guard !assignments.isEmpty else { throw .invalidInput("nothing to change: give at least one FIELD=VALUE") }
        var fields: [FieldName: String] = [:]
        var stage: LifecycleStage?
        var seen = Set<String>()
        for assignment in assignments {
            let name = assignment.field
            guard seen.insert(name).inserted else { throw .invalidInput("field '\(name)' is assigned more than once") }
            if name == "tags" || name == "tag" {
                throw .invalidInput("tags cannot be set with FIELD=VALUE: use 'leadsync tag ID TAG…' or 'leadsync untag ID TAG…'")
            }
            if name == stageFieldName {
                stage = try validated { () throws(LeadError) in try LeadValidator.stage(assignment.value) }
                continue
            }
            let field = try validated { () throws(LeadError) in try FieldName(validating: name) }
            fields[field] = try validated { () throws(LeadError) in try LeadValidator.normalize(assignment.value, for: field) }
        }
        var changes: [Change] = []
        if !fields.isEmpty { changes.append(.set(fields)) }
        if let stage { changes.append(.stage(stage)) }
        return changes
    }

    /// Applies field assignments to a lead (see ``editChanges(_:)``) in one transaction.
    @discardableResult
    public func edit(_ record: RecordID, _ assignments: [FieldAssignment]) throws(StoreError) -> [Op] {
        try commit(try Self.editChanges(assignments), to: record)
    }

    /// Appends a note to a lead's timeline.
    @discardableResult
    public func addNote(_ text: String, to record: RecordID) throws(StoreError) -> Op {
        let text = try Self.validated { () throws(LeadError) in try LeadValidator.note(text) }
        return try commit(.note(text), to: record)
    }

    /// Adds tags to a lead (validated, duplicates dropped).
    @discardableResult
    public func addTags(_ tags: [String], to record: RecordID) throws(StoreError) -> Op {
        try commit(.tag(try Self.validatedTags(tags)), to: record)
    }

    /// Removes tags from a lead (validated, duplicates dropped).
    @discardableResult
    public func removeTags(_ tags: [String], from record: RecordID) throws(StoreError) -> Op {
        try commit(.untag(try Self.validatedTags(tags)), to: record)
    }

    /// Deletes (`true`) or restores (`false`) a lead. Returns nil, writing nothing, when the lead
    /// is already in that state.
    @discardableResult
    public func setDeleted(_ deleted: Bool, _ record: RecordID) throws(StoreError) -> Op? {
        guard let lead = try lead(record) else { throw .unknownLead(record.rawValue) }
        if lead.erased { throw .erased(record) }
        guard lead.deleted != deleted else { return nil }
        return try commit(deleted ? .delete : .restore, to: record)
    }

    static func validatedTags(_ tags: [String]) throws(StoreError) -> [String] {
        guard !tags.isEmpty else { throw .invalidInput("give at least one tag") }
        var valid = Set<String>()
        for tag in tags { valid.insert(try validated { () throws(LeadError) in try LeadValidator.tag(tag) }) }
        return valid.sorted()
    }

    static func validated<T>(_ body: () throws(LeadError) -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw error.storeError }
    }
}
