import Foundation
import GRDB
import LeadSyncCore

/// The outcome of offering one operation to the store.
enum ApplyOutcome {
    case applied
    case duplicate
}

extension ApplyContext {
    /// Applies one operation, local or remote, in causal order: checks delivery, merges every
    /// register it writes, records activities, and appends it to the op log.
    mutating func apply(_ op: Op) throws -> ApplyOutcome {
        var actor = try actorState(op.origin)
        if op.seq <= actor.seq { return .duplicate }
        guard op.seq == actor.seq + 1 else {
            throw StoreError.seqGap(origin: op.origin.rawValue, expected: actor.seq + 1, got: op.seq)
        }
        for (dependency, needed) in op.deps.entries where dependency != op.origin {
            guard (actors[dependency]?.seq ?? 0) >= needed else {
                throw StoreError.missingDependency(
                    origin: op.origin.rawValue, seq: op.seq, needs: dependency.rawValue, needsSeq: needed)
            }
        }
        let clock = op.fullClock(previous: actor.clock)
        try merge(op, clock: clock, actorPK: actor.pk)
        let body = op.json
        try db.cachedStatement(sql: "INSERT INTO op (actor, seq, record, hlc, body) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [actor.pk, Int64(op.seq), op.record.rawValue, op.hlc.packed, body])
        actor.seq = op.seq
        actor.clock = clock
        actor.dirty = true
        actors[op.origin] = actor
        hlc.observe(op.hlc, now: now())
        applied += 1
        return .applied
    }

    private mutating func merge(_ op: Op, clock: VectorClock, actorPK: Int64) throws {
        let existing = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT pk FROM lead WHERE id = ?"), arguments: [op.record.rawValue])
        let leadPK: Int64
        if let existing {
            leadPK = existing
            try db.cachedStatement(sql: "UPDATE lead SET updated_hlc = max(updated_hlc, ?) WHERE pk = ?")
                .execute(arguments: [op.hlc.packed, leadPK])
        } else if case .create(let fields, let stage, let tags) = op.change {
            leadPK = try insertLead(op, fields: fields, stage: stage, tags: tags, actorPK: actorPK)
            return
        } else {
            throw StoreError.unknownRecord(origin: op.origin.rawValue, seq: op.seq, record: op.record.rawValue)
        }
        for write in op.change.writes {
            let version = Version(origin: op.origin, seq: op.seq, hlc: op.hlc, value: write.value)
            try mergeWrite(lead: leadPK, key: write.key, version: version, clock: clock, actorPK: actorPK)
        }
        if case .note(let text) = op.change {
            try db.cachedStatement(sql: "INSERT INTO activity (lead, hlc, actor, seq, type, text) VALUES (?, ?, ?, ?, 'note', ?)")
                .execute(arguments: [leadPK, op.hlc.packed, actorPK, Int64(op.seq), text])
        }
    }

    /// A lead's first operation: every register is empty, so each write is its winner.
    ///
    /// No register rows are written: every later operation on a lead causally follows its create
    /// (it was made by a replica that had the lead), so a later write always supersedes the create's
    /// version. A register with no rows therefore stands for "the create's value, if any", whose
    /// writer and time are the lead's `created_by` and `created_hlc`.
    private func insertLead(
        _ op: Op, fields: [FieldName: String], stage: LifecycleStage, tags: [String], actorPK: Int64
    ) throws -> Int64 {
        var columns = ["id", "stage", "tags", "created_hlc", "created_by", "updated_hlc"]
        let sortedTags = Array(Set(tags)).sorted()
        var values: [(any DatabaseValueConvertible)?] = [
            op.record.rawValue, stage.rawValue, try Self.jsonText(sortedTags), op.hlc.packed, op.origin.rawValue, op.hlc.packed,
        ]
        // Columns in a fixed order, so the statement cache holds one statement per field set.
        for standard in LeadField.allCases {
            if let value = fields[.standard(standard)], !value.isEmpty {
                columns.append(standard.rawValue)
                values.append(value)
            }
        }
        var custom: [String: String] = [:]
        for case (.custom(let name), let value) in fields where !value.isEmpty {
            custom[name] = value
        }
        if !custom.isEmpty {
            columns.append("custom")
            values.append(try Self.jsonText(custom))
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.cachedStatement(sql: "INSERT INTO lead (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
            .execute(arguments: StatementArguments(values))
        return db.lastInsertedRowID
    }

    private func mergeWrite(lead: Int64, key: RegisterKey, version: Version, clock: VectorClock, actorPK: Int64) throws {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT actor, seq, hlc, value FROM register WHERE lead = ? AND key = ?"),
            arguments: [lead, key.rawValue])
        var register = Register(versions: try rows.map { row in
            Version(
                origin: try actorID(pk: row["actor"]), seq: UInt64(row["seq"] as Int64),
                hlc: HLC(packed: row["hlc"]), value: row["value"])
        })
        let policy = key.policy
        let before = register.winner(policy)
        let hadConflict = !register.conflicts(policy).isEmpty
        let superseded = register.apply(version, clock: clock)
        let delete = try db.cachedStatement(sql: "DELETE FROM register WHERE lead = ? AND key = ? AND actor = ? AND seq = ?")
        for old in superseded {
            guard let oldActor = actors[old.origin] else { throw StoreError.corrupt("unknown actor \(old.origin)") }
            try delete.execute(arguments: [lead, key.rawValue, oldActor.pk, Int64(old.seq)])
        }
        try db.cachedStatement(sql: "INSERT INTO register (lead, key, actor, seq, hlc, value) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [lead, key.rawValue, actorPK, Int64(version.seq), version.hlc.packed, version.value])
        let after = register.winner(policy)
        if after?.value != before?.value {
            try project(lead: lead, key: key, value: after?.value)
        }
        let hasConflict = !register.conflicts(policy).isEmpty
        if hasConflict && !hadConflict {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO conflict (lead, key) VALUES (?, ?)")
                .execute(arguments: [lead, key.rawValue])
        } else if hadConflict && !hasConflict {
            try db.cachedStatement(sql: "DELETE FROM conflict WHERE lead = ? AND key = ?")
                .execute(arguments: [lead, key.rawValue])
        }
    }

    /// Writes a register's new winning value into the materialised lead row.
    private func project(lead: Int64, key: RegisterKey, value: String?) throws {
        switch key {
        case .field(.standard(let field)):
            let text = value.flatMap { $0.isEmpty ? nil : $0 }
            try db.cachedStatement(sql: "UPDATE lead SET \(field.rawValue) = ? WHERE pk = ?").execute(arguments: [text, lead])
        case .field(.custom(let name)):
            var custom = try jsonColumn([String: String].self, "custom", lead: lead)
            custom[name] = value.flatMap { $0.isEmpty ? nil : $0 }
            try db.cachedStatement(sql: "UPDATE lead SET custom = ? WHERE pk = ?").execute(arguments: [try Self.jsonText(custom), lead])
        case .stage:
            try db.cachedStatement(sql: "UPDATE lead SET stage = ? WHERE pk = ?").execute(arguments: [value ?? LifecycleStage.lead.rawValue, lead])
        case .tag(let tag):
            var tags = Set(try jsonColumn([String].self, "tags", lead: lead))
            if value == RegisterKey.present { tags.insert(tag) } else { tags.remove(tag) }
            try db.cachedStatement(sql: "UPDATE lead SET tags = ? WHERE pk = ?").execute(arguments: [try Self.jsonText(tags.sorted()), lead])
        case .deleted:
            try db.cachedStatement(sql: "UPDATE lead SET deleted = ? WHERE pk = ?").execute(arguments: [value == RegisterKey.present, lead])
        }
    }

    private func jsonColumn<T: Decodable>(_ type: T.Type, _ column: String, lead: Int64) throws -> T {
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT \(column) FROM lead WHERE pk = ?"), arguments: [lead]) ?? ""
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    static func jsonText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The tags column: a JSON array, built by hand because it is written for every new lead
    /// (JSONEncoder cost a tenth of an import's time).
    static func jsonText(_ strings: [String]) throws -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendJSONString(string, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The custom column: a JSON object with sorted keys, like JSONEncoder's `.sortedKeys`.
    static func jsonText(_ object: [String: String]) throws -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendJSONString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendJSONString(object[key] ?? "", to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendJSONString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
