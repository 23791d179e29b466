import Foundation

/// The wire and op-log encoding of an operation; `Protocol/schemas/op.schema.json` is its reference.
extension Op: Decodable {
    enum CodingKeys: String, CodingKey {
        case origin, seq, deps, hlc, record, action, fields, stage, tags, text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        origin = try container.decode(ActorID.self, forKey: .origin)
        seq = try container.decode(UInt64.self, forKey: .seq)
        guard seq >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .seq, in: container, debugDescription: "seq starts at 1")
        }
        deps = try container.decodeIfPresent(VectorClock.self, forKey: .deps) ?? VectorClock()
        hlc = try container.decode(HLC.self, forKey: .hlc)
        record = try container.decode(RecordID.self, forKey: .record)
        let action = try container.decode(String.self, forKey: .action)
        do {
            change = try Self.decodeChange(action, from: container)
        } catch let error as LeadError {
            throw DecodingError.dataCorruptedError(forKey: .action, in: container, debugDescription: error.description)
        }
    }

    private static func decodeChange(
        _ action: String, from container: KeyedDecodingContainer<CodingKeys>
    ) throws -> Change {
        switch action {
        case "create":
            let fields = try decodeFields(container)
            let stage = try LeadValidator.stage(try container.decode(String.self, forKey: .stage))
            let tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
            return .create(fields: fields, stage: stage, tags: try tags.map(LeadValidator.tag))
        case "set":
            return .set(try decodeFields(container))
        case "delete":
            return .delete
        case "restore":
            return .restore
        case "tag", "untag":
            let tags = try container.decode([String].self, forKey: .tags).map(LeadValidator.tag)
            guard !tags.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .tags, in: container, debugDescription: "tags must not be empty")
            }
            return action == "tag" ? .tag(tags) : .untag(tags)
        case "stage":
            return .stage(try LeadValidator.stage(try container.decode(String.self, forKey: .stage)))
        case "note":
            return .note(try LeadValidator.note(try container.decode(String.self, forKey: .text)))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .action, in: container, debugDescription: "unknown action '\(action)'")
        }
    }

    /// Field values are validated on decode too: a remote peer cannot smuggle in what the CLI refuses.
    private static func decodeFields(_ container: KeyedDecodingContainer<CodingKeys>) throws -> [FieldName: String] {
        let raw = try container.decode([String: String].self, forKey: .fields)
        var fields: [FieldName: String] = [:]
        for (name, value) in raw {
            let field = try FieldName(validating: name)
            let normalized = try LeadValidator.normalize(value, for: field)
            guard normalized == value else {
                throw DecodingError.dataCorruptedError(
                    forKey: .fields, in: container, debugDescription: "field '\(name)' is not in canonical form")
            }
            fields[field] = value
        }
        return fields
    }

    /// The op's canonical wire JSON: compact, keys in a fixed order, fields and deps sorted.
    /// `Protocol/schemas/op.schema.json` describes it; decoding accepts any key order.
    public var json: String {
        var out = JSONText()
        out.raw("{\"origin\":")
        out.string(origin.rawValue)
        out.raw(",\"seq\":")
        out.number(seq)
        if !deps.entries.isEmpty {
            out.raw(",\"deps\":")
            out.object(deps.entries.map { ($0.key.rawValue, $0.value) }) { $0.number($1) }
        }
        out.raw(",\"hlc\":[")
        out.number(hlc.wallMillis)
        out.raw(",")
        out.number(hlc.counter)
        out.raw("],\"record\":")
        out.string(record.rawValue)
        out.raw(",\"action\":")
        out.string(change.action)
        switch change {
        case .create(let fields, let stage, let tags):
            out.raw(",\"fields\":")
            out.object(Self.rawFields(fields).map { ($0.key, $0.value) }) { $0.string($1) }
            out.raw(",\"stage\":")
            out.string(stage.rawValue)
            if !tags.isEmpty {
                out.raw(",\"tags\":")
                out.stringArray(tags)
            }
        case .set(let fields):
            out.raw(",\"fields\":")
            out.object(Self.rawFields(fields).map { ($0.key, $0.value) }) { $0.string($1) }
        case .delete, .restore:
            break
        case .tag(let tags), .untag(let tags):
            out.raw(",\"tags\":")
            out.stringArray(tags)
        case .stage(let stage):
            out.raw(",\"stage\":")
            out.string(stage.rawValue)
        case .note(let text):
            out.raw(",\"text\":")
            out.string(text)
        }
        out.raw("}")
        return out.text
    }

    private static func rawFields(_ fields: [FieldName: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.key.rawValue, $0.value) })
    }
}
