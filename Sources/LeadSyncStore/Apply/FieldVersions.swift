import LeadSyncCore

/// The standing writes of a lead's field registers, kept in the lead row (`lead.versions`) so that
/// the common edit, one write replacing another, reads and writes no `register` rows. A field
/// that holds concurrent writes is marked `several` and its versions live in `register`; a field
/// absent here was not written since the create (whose version is implicit, see
/// Docs/architecture.md).
///
/// Stored as JSON: `{"city":[actor pk, seq, hlc, "value"],"email":0,…}`, 0 meaning `several`.
struct FieldVersions: Equatable {
    enum Slot: Equatable {
        case single(actor: Int64, seq: UInt64, hlc: Int64, value: String)
        case several
    }

    private(set) var slots: [String: Slot] = [:]

    subscript(field: FieldName) -> Slot? {
        get { slots[field.rawValue] }
        set { slots[field.rawValue] = newValue }
    }

    init() {}

    /// Parses the column; nil when it is not what ``json`` writes (a corrupt row).
    init?(json: String) {
        var text = json
        let parsed: [String: Slot]? = text.withUTF8 { bytes in
            var scanner = JSONScanner(bytes)
            guard var more = scanner.beginObject() else { return nil }
            var slots: [String: Slot] = [:]
            while more {
                guard let key = scanner.key() else { return nil }
                if scanner.beginArray() == true {
                    guard let actor = scanner.unsignedInteger(), scanner.nextElement() == true,
                          let seq = scanner.unsignedInteger(), scanner.nextElement() == true,
                          let hlc = scanner.unsignedInteger(), scanner.nextElement() == true,
                          let value = scanner.string(), scanner.nextElement() == false,
                          let actorPK = Int64(exactly: actor), let packed = Int64(exactly: hlc)
                    else { return nil }
                    slots[key.string] = .single(actor: actorPK, seq: seq, hlc: packed, value: value)
                } else {
                    guard scanner.unsignedInteger() == 0 else { return nil }
                    slots[key.string] = .several
                }
                guard let next = scanner.nextMember() else { return nil }
                more = next
            }
            return scanner.isAtEnd() ? slots : nil
        }
        guard let parsed else { return nil }
        slots = parsed
    }

    var json: String {
        var out = JSONText(capacity: 64 * slots.count + 2)
        out.raw("{")
        for (index, (name, slot)) in slots.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.raw(",") }
            out.string(name)
            out.raw(":")
            switch slot {
            case .single(let actor, let seq, let hlc, let value):
                out.raw("[")
                out.number(actor)
                out.raw(",")
                out.number(seq)
                out.raw(",")
                out.number(hlc)
                out.raw(",")
                out.string(value)
                out.raw("]")
            case .several:
                out.raw("0")
            }
        }
        out.raw("}")
        return out.text
    }
}
