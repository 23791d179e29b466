import Foundation

/// The wire and op-log encoding of an operation; `Protocol/schemas/op.schema.json` is its reference.
extension Op: Decodable {
    enum CodingKeys: String, CodingKey {
        case origin, seq, deps, hlc, record, action, fields, stage, tags, text
        case type, at, channel, granted, how, into, name, value
        case doubleOptIn = "double_opt_in"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        origin = try container.decode(ActorID.self, forKey: .origin)
        seq = try ExactInteger.decode(.seq, from: container)
        guard (1...Op.maxSeq).contains(seq) else {
            throw DecodingError.dataCorruptedError(forKey: .seq, in: container, debugDescription: "seq \(seq) out of range 1...2^53 - 1")
        }
        deps = try container.decodeIfPresent(VectorClock.self, forKey: .deps) ?? VectorClock()
        if let problem = Op.depsProblem(deps, origin: origin) {
            throw DecodingError.dataCorruptedError(forKey: .deps, in: container, debugDescription: problem)
        }
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
        case "activity":
            let raw = try container.decode(String.self, forKey: .type)
            guard let type = ActivityType(rawValue: raw) else {
                throw LeadError.invalidValue(field: "activity type", value: raw, allowed: ActivityType.allCases.map(\.rawValue))
            }
            let text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
            return .activity(try LeadValidator.activity(type: type, text: text, at: try ExactInteger.decodeIfPresent(.at, from: container)))
        case "consent":
            let raw = try container.decode(String.self, forKey: .channel)
            guard let channel = ConsentChannel(rawValue: raw) else {
                throw LeadError.invalidValue(field: "consent channel", value: raw, allowed: ConsentChannel.allCases.map(\.rawValue))
            }
            return .consent(try LeadValidator.consent(
                channel: channel, granted: try container.decode(Bool.self, forKey: .granted),
                how: try container.decode(String.self, forKey: .how),
                doubleOptIn: try container.decodeIfPresent(Bool.self, forKey: .doubleOptIn) ?? false,
                at: try ExactInteger.decodeIfPresent(.at, from: container)))
        case "merge":
            return .merge(into: try container.decode(RecordID.self, forKey: .into))
        case "erase":
            return .erase
        case "setting":
            let name = try container.decode(String.self, forKey: .name)
            let value = try container.decode(String.self, forKey: .value)
            return .setting(name: try LeadValidator.settingName(name), value: try LeadValidator.settingValue(value))
        case "redacted":
            return .redacted
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
        var out = header()
        Self.append(change, to: &out)
        out.raw("}")
        return out.text
    }

    /// ``json`` for an op whose change was encoded before (``EncodedChange``), for example on
    /// another thread: the same bytes. `encodedChange` must encode this op's ``change``.
    public func json(encodedChange: EncodedChange) -> String {
        var out = header(capacity: 96 + encodedChange.bytes.count)
        out.append(encodedChange.bytes)
        out.raw("}")
        return out.text
    }

    /// The keys before the action: origin, seq, deps, hlc and record.
    private func header(capacity: Int = 256) -> JSONText {
        var out = JSONText(capacity: capacity)
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
        return out
    }

    /// The action and the keys of `change`, as ``json`` writes them after the record.
    static func append(_ change: Change, to out: inout JSONText) {
        out.raw(",\"action\":")
        out.string(change.action)
        switch change {
        case .create(let fields, let stage, let tags):
            out.raw(",\"fields\":")
            out.object(fields.map { ($0.key.rawValue, $0.value) }) { $0.string($1) }
            out.raw(",\"stage\":")
            out.string(stage.rawValue)
            if !tags.isEmpty {
                out.raw(",\"tags\":")
                out.stringArray(tags)
            }
        case .set(let fields):
            out.raw(",\"fields\":")
            out.object(fields.map { ($0.key.rawValue, $0.value) }) { $0.string($1) }
        case .delete, .restore:
            break
        case .tag(let tags), .untag(let tags):
            out.raw(",\"tags\":")
            out.stringArray(tags)
        case .stage(let stage):
            out.raw(",\"stage\":")
            out.string(stage.rawValue)
        case .activity(let entry):
            out.raw(",\"type\":")
            out.string(entry.type.rawValue)
            if !entry.text.isEmpty {
                out.raw(",\"text\":")
                out.string(entry.text)
            }
            if let at = entry.at {
                out.raw(",\"at\":")
                out.number(at)
            }
        case .consent(let entry):
            out.raw(",\"channel\":")
            out.string(entry.channel.rawValue)
            out.raw(entry.granted ? ",\"granted\":true,\"how\":" : ",\"granted\":false,\"how\":")
            out.string(entry.how)
            if entry.doubleOptIn { out.raw(",\"double_opt_in\":true") }
            if let at = entry.at {
                out.raw(",\"at\":")
                out.number(at)
            }
        case .merge(let target):
            out.raw(",\"into\":")
            out.string(target.rawValue)
        case .setting(let name, let value):
            out.raw(",\"name\":")
            out.string(name)
            out.raw(",\"value\":")
            out.string(value)
        case .erase, .redacted:
            break
        }
    }
}

