import GRDB
import LeadSyncCore

/// One field that both leads of a merge hold with different values: the kept lead's value stays.
public struct DifferingField: Sendable, Hashable {
    public let field: String
    public let kept: String
    public let duplicate: String
}

/// What merging a duplicate into a lead did.
public struct MergeOutcome: Sendable, Hashable {
    public let keep: RecordID
    public let duplicate: RecordID
    /// Fields the kept lead lacked and took from the duplicate, by name.
    public let filledFields: [String]
    /// The duplicate's tags the kept lead lacked and now has.
    public let addedTags: [String]
    /// Fields both hold with different values; the kept lead's value stays, the duplicate keeps its own.
    public let differingFields: [DifferingField]
    /// Duplicates that had been merged into the duplicate and now point at the kept lead.
    public let movedDuplicates: [RecordID]
    /// Operations written.
    public let operations: Int
}

extension StoreError {
    /// The refusal of any change to an erased lead.
    static func erased(_ record: RecordID) -> StoreError {
        .invalidInput("lead \(record) was erased (GDPR); it cannot be changed")
    }
}

extension Store {
    /// Merges `duplicate` into `keep` in ONE transaction: a `set` on `keep` filling its empty fields
    /// from the duplicate, a `tag` on `keep` with the duplicate's tags it lacks, and
    /// `merge(into: keep)` on the duplicate. Activities and consent events are not copied: the
    /// store's queries join those of merged duplicates. Duplicates already merged into `duplicate`
    /// are re-pointed to `keep` in the same transaction, so merges never form chains.
    ///
    /// Refuses a lead merged into itself, an unknown or erased lead on either side, a `keep` that is
    /// deleted or itself merged into another lead (a chain), and a duplicate already merged.
    public func mergeDuplicate(_ duplicate: RecordID, into keep: RecordID) throws(StoreError) -> MergeOutcome {
        guard duplicate != keep else { throw .invalidInput("cannot merge lead \(keep.short) into itself") }
        return try editing { editor in
            guard let target = try editor.lead(keep) else { throw StoreError.unknownLead(keep.rawValue) }
            guard let source = try editor.lead(duplicate) else { throw StoreError.unknownLead(duplicate.rawValue) }
            if target.erased {
                throw StoreError.invalidInput("lead \(keep.short) was erased (GDPR); nothing can be merged into it")
            }
            if source.erased { throw StoreError.invalidInput("lead \(duplicate.short) was erased (GDPR); it cannot be merged") }
            if let root = target.mergedInto {
                throw StoreError.invalidInput(
                    "lead \(keep.short) was itself merged into \(root.short); merging into it would make a chain: "
                        + "merge into \(root.short) instead ('leadsync merge \(root.short) \(duplicate.short)')")
            }
            if target.deleted {
                throw StoreError.invalidInput(
                    "lead \(keep.short) is deleted; restore it first ('leadsync restore \(keep.short)') or keep another lead")
            }
            if let root = source.mergedInto {
                throw StoreError.invalidInput(root == keep
                    ? "lead \(duplicate.short) is already merged into \(keep.short)"
                    : "lead \(duplicate.short) is already merged into \(root.short); a lead is merged into one lead only")
            }
            var filled: [FieldName: String] = [:]
            var differing: [DifferingField] = []
            for (name, value) in source.fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
                if let kept = target.fields[name], !kept.isEmpty {
                    // E-mail local parts differing only in case are the same address in practice.
                    let same = name == LeadField.email.rawValue ? kept.lowercased() == value.lowercased() : kept == value
                    if !same { differing.append(DifferingField(field: name, kept: kept, duplicate: value)) }
                } else {
                    filled[try FieldName(validating: name)] = value
                }
            }
            let addedTags = Set(source.tags).subtracting(target.tags).sorted()
            let moved = try editor.duplicates(mergedInto: duplicate).map(\.id)
            var changes: [(Change, RecordID)] = []
            if !filled.isEmpty { changes.append((.set(filled), keep)) }
            if !addedTags.isEmpty { changes.append((.tag(addedTags), keep)) }
            changes.append((.merge(into: keep), duplicate))
            changes += moved.map { (.merge(into: keep), $0) }
            for (change, record) in changes { try editor.commit(change, to: record) }
            return MergeOutcome(
                keep: keep, duplicate: duplicate, filledFields: filled.keys.map(\.rawValue).sorted(), addedTags: addedTags,
                differingFields: differing, movedDuplicates: moved, operations: changes.count)
        }
    }

    /// Undoes a merge: `duplicate` stands on its own again, in `list` and `duplicates`, together
    /// with the duplicates merged into it. What the merge copied stays: fields and tags it gave the
    /// kept lead remain there. Written as `merge(into:)` the lead itself, a pointer that
    /// ``MergeRoots`` resolves as a lead standing alone, so nothing new travels on the wire; like
    /// any register write, a newer merge of the lead wins over it. Returns the lead it was shown
    /// under.
    ///
    /// Refuses an unknown or erased lead and one that is not merged.
    public func unmerge(_ duplicate: RecordID) throws(StoreError) -> RecordID {
        try editing { editor in
            guard let lead = try editor.lead(duplicate) else { throw StoreError.unknownLead(duplicate.rawValue) }
            if lead.erased { throw StoreError.erased(duplicate) }
            guard let root = lead.mergedInto else {
                throw StoreError.invalidInput("lead \(duplicate.short) is not merged into another lead; nothing to undo")
            }
            try editor.commit(.merge(into: duplicate), to: duplicate)
            return root
        }
    }

    /// GDPR erasure of a lead and of every duplicate merged into it (the same person), in ONE
    /// transaction: an `erase` operation each. Applying them blanks the leads, deletes their
    /// registers, conflicts, activities, consent and stage events, rewrites their logged operations
    /// as redacted placeholders and keeps tombstones; the WAL is then checkpointed (see
    /// `Docs/lead-management.md`). Returns the erased ids, the lead first; empty when it already was.
    @discardableResult
    public func erase(_ record: RecordID) throws(StoreError) -> [RecordID] {
        try editing { editor in
            guard let lead = try editor.lead(record) else { throw StoreError.unknownLead(record.rawValue) }
            if lead.erased { return [] }
            let erased = [record] + (try editor.duplicates(mergedInto: record).map(\.id))
            for id in erased { try editor.commit(.erase, to: id) }
            return erased
        }
    }
}

extension LocalEditor {
    /// The live (not erased) leads merged into `record`, deleted ones included, by id.
    public mutating func duplicates(mergedInto record: RecordID) throws -> [Lead] {
        try context.flushLeadRows()
        return try Row.fetchAll(
            context.db.cachedStatement(sql: "SELECT * FROM lead WHERE merge_root = ? AND erased = 0 ORDER BY id"),
            arguments: [record.rawValue]
        ).map(Store.lead(from:))
    }
}
