/// Decodes operations straight from JSON bytes: the hub's hot path, several times faster than
/// `JSONDecoder`. It applies exactly the validation of `Op.init(from:)` but accepts less: besides
/// what ``JSONScanner`` refuses, it refuses duplicate, unknown or escaped keys, keys the action does
/// not use, `null` values and `hlc` arrays longer than two. `nil` means "decode with `JSONDecoder`",
/// which then either accepts the operation, equal to what this would return, or names the error.
/// A change to `Op.init(from:)` needs the same change here; `OpParserTests` compare the two.
public struct OpParser {
    /// Reads what surrounds the operations, such as an `ops` line's envelope.
    public var scanner: JSONScanner
    /// Actors already validated in this text: a batch names the same few over and over.
    private var knownActors: [ActorID] = []
    /// The fields of the operation being read; kept to reuse its storage.
    private var fieldBuffer: [(FieldName, String)] = []

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        scanner = JSONScanner(bytes)
    }

    /// The operation that is the whole of `bytes`, surrounding whitespace aside.
    public static func op(in bytes: UnsafeBufferPointer<UInt8>) -> Op? {
        var parser = OpParser(bytes)
        guard let op = parser.op(), parser.scanner.isAtEnd() else { return nil }
        return op
    }

    /// An array of operations.
    public mutating func ops() -> [Op]? {
        readOps(keepingText: false)?.ops
    }

    /// An array of operations, each with its text exactly as it stands in the input: what a hub
    /// stores and forwards (peers forward operations byte-for-byte, Protocol/README.md section 5),
    /// instead of encoding each operation again.
    public mutating func opsWithText() -> (ops: [Op], texts: [String])? {
        readOps(keepingText: true)
    }

    private mutating func readOps(keepingText: Bool) -> (ops: [Op], texts: [String])? {
        guard var more = scanner.beginArray() else { return nil }
        var ops: [Op] = []
        var texts: [String] = []
        while more {
            let start = scanner.startOfValue()
            guard let op = op() else { return nil }
            if keepingText { texts.append(scanner.text(from: start)) }
            guard let next = scanner.nextElement() else { return nil }
            ops.append(op)
            more = next
        }
        return (ops, texts)
    }

    /// One operation object.
    public mutating func op() -> Op? {
        guard var more = scanner.beginObject() else { return nil }
        var seen = Members()
        var origin: ActorID?, seq: UInt64?, deps: VectorClock?, hlc: HLC?, record: RecordID?, action: String?
        var fields: [FieldName: String]?, stage: String?, tags: [String]?, text: String?, type: String?, at: Int64?
        var channel: String?, granted: Bool?, how: String?, doubleOptIn: Bool?, into: RecordID?
        var name: String?, value: String?
        while more {
            guard let key = scanner.key(), let member = Member(key), seen.insert(member) else { return nil }
            switch member {
            case .origin: guard let parsed = actor() else { return nil }; origin = parsed
            case .seq: guard let parsed = scanner.unsignedInteger() else { return nil }; seq = parsed
            case .deps: guard let parsed = clock() else { return nil }; deps = parsed
            case .hlc: guard let parsed = timestamp() else { return nil }; hlc = parsed
            case .record: guard let parsed = recordID() else { return nil }; record = parsed
            case .action: guard let parsed = scanner.string() else { return nil }; action = parsed
            case .fields: guard let parsed = fieldValues() else { return nil }; fields = parsed
            case .stage: guard let parsed = scanner.string() else { return nil }; stage = parsed
            case .tags: guard let parsed = scanner.strings() else { return nil }; tags = parsed
            case .text: guard let parsed = scanner.string() else { return nil }; text = parsed
            case .type: guard let parsed = scanner.string() else { return nil }; type = parsed
            case .at: guard let parsed = millis() else { return nil }; at = parsed
            case .channel: guard let parsed = scanner.string() else { return nil }; channel = parsed
            case .granted: guard let parsed = scanner.bool() else { return nil }; granted = parsed
            case .how: guard let parsed = scanner.string() else { return nil }; how = parsed
            case .doubleOptIn: guard let parsed = scanner.bool() else { return nil }; doubleOptIn = parsed
            case .into: guard let parsed = recordID() else { return nil }; into = parsed
            case .name: guard let parsed = scanner.string() else { return nil }; name = parsed
            case .value: guard let parsed = scanner.string() else { return nil }; value = parsed
            }
            guard let next = scanner.nextMember() else { return nil }
            more = next
        }
        guard let origin, let seq, (1...Op.maxSeq).contains(seq), let hlc, let record, let action else { return nil }
        if let deps, Op.depsProblem(deps, origin: origin) != nil { return nil }
        func uses(_ members: Member...) -> Bool { seen.isWithin(Members(members).union(.common)) }
        let change: Change
        switch action {
        case "create" where uses(.fields, .stage, .tags):
            guard let fields, let stage, let stage = try? LeadValidator.stage(stage),
                  let tags = try? (tags ?? []).map(LeadValidator.tag)
            else { return nil }
            change = .create(fields: fields, stage: stage, tags: tags)
        case "set" where uses(.fields):
            guard let fields else { return nil }
            change = .set(fields)
        case "delete" where uses(): change = .delete
        case "restore" where uses(): change = .restore
        case "tag", "untag":
            guard uses(.tags), let tags, let tags = try? tags.map(LeadValidator.tag), !tags.isEmpty else { return nil }
            change = action == "tag" ? .tag(tags) : .untag(tags)
        case "stage" where uses(.stage):
            guard let stage, let stage = try? LeadValidator.stage(stage) else { return nil }
            change = .stage(stage)
        case "activity" where uses(.type, .text, .at):
            guard let type, let type = ActivityType(rawValue: type),
                  let entry = try? LeadValidator.activity(type: type, text: text ?? "", at: at)
            else { return nil }
            change = .activity(entry)
        case "consent" where uses(.channel, .granted, .how, .doubleOptIn, .at):
            guard let channel, let channel = ConsentChannel(rawValue: channel), let granted, let how,
                  let entry = try? LeadValidator.consent(
                      channel: channel, granted: granted, how: how, doubleOptIn: doubleOptIn ?? false, at: at)
            else { return nil }
            change = .consent(entry)
        case "merge" where uses(.into):
            guard let into else { return nil }
            change = .merge(into: into)
        case "erase" where uses(): change = .erase
        case "setting" where uses(.name, .value):
            guard let name, let value, let name = try? LeadValidator.settingName(name),
                  (try? LeadValidator.settingValue(value)) != nil
            else { return nil }
            change = .setting(name: name, value: value)
        case "redacted" where uses(): change = .redacted
        default:
            return nil
        }
        return Op(origin: origin, seq: seq, deps: deps ?? VectorClock(), hlc: hlc, record: record, change: change)
    }

    private mutating func actor() -> ActorID? {
        scanner.string().flatMap { actor(named: $0) }
    }

    private mutating func actor(named raw: String) -> ActorID? {
        // Compared by bytes: `==` on strings would also match a different, canonically equivalent spelling.
        if let known = knownActors.first(where: { $0.rawValue.utf8.elementsEqual(raw.utf8) }) { return known }
        guard let actor = try? ActorID(validating: raw) else { return nil }
        if knownActors.count < 8 { knownActors.append(actor) }
        return actor
    }

    /// UTC milliseconds. Negative ones are declined here: `LeadValidator` refuses them anyway.
    private mutating func millis() -> Int64? {
        scanner.unsignedInteger().flatMap(Int64.init(exactly:))
    }

    private mutating func recordID() -> RecordID? {
        scanner.string().flatMap { try? RecordID(validating: $0) }
    }

    /// `[wallMillis, counter]`, as `HLC.init(from:)` reads it.
    private mutating func timestamp() -> HLC? {
        guard scanner.beginArray() == true, let wall = scanner.unsignedInteger(), wall <= HLC.maxWallMillis,
              scanner.nextElement() == true, let counter = scanner.unsignedInteger().flatMap(UInt16.init(exactly:)),
              scanner.nextElement() == false
        else { return nil }
        return HLC(wallMillis: Int64(wall), counter: counter)
    }

    /// Actor → seq, as `VectorClock.init(from:)` reads it (zero entries dropped).
    private mutating func clock() -> VectorClock? {
        guard var more = scanner.beginObject() else { return nil }
        var entries: [ActorID: UInt64] = [:]
        while more {
            guard let key = scanner.key(), let actor = actor(named: key.string),
                  let seq = scanner.unsignedInteger(), entries.updateValue(seq, forKey: actor) == nil,
                  let next = scanner.nextMember()
            else { return nil }
            more = next
        }
        return VectorClock(entries)
    }

    /// What `FieldName(validating:)` makes of the key; a standard field is found by its bytes,
    /// without making a string to look it up.
    private func fieldName(_ key: JSONKey) -> FieldName? {
        for (name, field) in Self.standardFields where name.withUnsafeBufferPointer(key.is) {
            return .standard(field)
        }
        return try? FieldName(validating: key.string)
    }

    private static let standardFields = LeadField.allCases.map { (Array($0.rawValue.utf8), $0) }

    /// Field values, each already in canonical form, as `Op.init(from:)` requires.
    private mutating func fieldValues() -> [FieldName: String]? {
        guard var more = scanner.beginObject() else { return nil }
        // Collected first so the dictionary is made at its final size, without growing on the way.
        fieldBuffer.removeAll(keepingCapacity: true)
        while more {
            guard let key = scanner.key(), let field = fieldName(key), let value = scanner.string(),
                  let normalized = try? LeadValidator.normalize(value, for: field), normalized == value,
                  let next = scanner.nextMember()
            else { return nil }
            fieldBuffer.append((field, value))
            more = next
        }
        let fields = Dictionary(fieldBuffer, uniquingKeysWith: { first, _ in first })
        return fields.count == fieldBuffer.count ? fields : nil
    }
}

/// A key of an operation object.
private enum Member: UInt32 {
    case origin, seq, deps, hlc, record, action, fields, stage, tags, text, type, at, channel, granted, how, doubleOptIn
    case into, name, value

    init?(_ key: JSONKey) {
        switch key {
        case "origin": self = .origin
        case "seq": self = .seq
        case "deps": self = .deps
        case "hlc": self = .hlc
        case "record": self = .record
        case "action": self = .action
        case "fields": self = .fields
        case "stage": self = .stage
        case "tags": self = .tags
        case "text": self = .text
        case "type": self = .type
        case "at": self = .at
        case "channel": self = .channel
        case "granted": self = .granted
        case "how": self = .how
        case "double_opt_in": self = .doubleOptIn
        case "into": self = .into
        case "name": self = .name
        case "value": self = .value
        default: return nil
        }
    }
}

/// A set of keys, as bits: the keys an object had (so duplicates show), or those an action may have.
private struct Members {
    private var bits: UInt32 = 0

    /// The keys every action may carry.
    static let common = Members([.origin, .seq, .deps, .hlc, .record, .action])

    init() {}

    init(_ members: [Member]) {
        for member in members { bits |= 1 << member.rawValue }
    }

    /// Adds `member`; false if it was there already.
    mutating func insert(_ member: Member) -> Bool {
        let bit: UInt32 = 1 << member.rawValue
        guard bits & bit == 0 else { return false }
        bits |= bit
        return true
    }

    func union(_ other: Members) -> Members {
        var union = self
        union.bits |= other.bits
        return union
    }

    func isWithin(_ other: Members) -> Bool {
        bits & ~other.bits == 0
    }
}
