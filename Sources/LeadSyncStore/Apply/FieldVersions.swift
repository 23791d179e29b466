import LeadSyncCore

/// The standing writes of a lead's field registers, kept in the lead row (`lead.versions`) so that
/// the common edit, one write replacing another, reads and writes no `register` rows. A field
/// that holds concurrent writes is marked `several` and its versions live in `register`; a field
/// absent here was not written since the create (whose version is implicit, see
/// Docs/architecture.md).
///
/// Stored as JSON: `{"city":[actor pk, seq, hlc],"email":0,…}`, 0 meaning `several`. A single
/// version's value is not repeated: it is the register's winner, so the lead row holds it.
struct FieldVersions: Sendable {
    enum Slot: Equatable, Sendable {
        case single(actor: Int64, seq: UInt64, hlc: Int64)
        case several
    }

    /// Sorted by field name. A lead has a few fields; searching them beats hashing the names.
    private var slots: [(name: String, slot: Slot)] = []

    subscript(field: FieldName) -> Slot? {
        get { self[field.rawValue] }
        set { self[field.rawValue] = newValue }
    }

    private subscript(name: String) -> Slot? {
        get { slots.first { $0.name == name }?.slot }
        set {
            let index = slots.firstIndex { $0.name >= name } ?? slots.endIndex
            let present = index < slots.endIndex && slots[index].name == name
            switch (newValue, present) {
            case (let slot?, true): slots[index].slot = slot
            case (let slot?, false): slots.insert((name, slot), at: index)
            case (nil, true): slots.remove(at: index)
            case (nil, false): break
            }
        }
    }

    init() {}

    /// Parses the column; nil when it is not what ``json`` writes (a corrupt row).
    init?(json: String) {
        var text = json
        let parsed: FieldVersions? = text.withUTF8 { bytes in
            var scanner = JSONScanner(bytes)
            guard var more = scanner.beginObject() else { return nil }
            var versions = FieldVersions()
            while more {
                guard let key = scanner.key() else { return nil }
                let name = key.string
                if scanner.beginArray() == true {
                    guard let actor = scanner.unsignedInteger(), scanner.nextElement() == true,
                          let seq = scanner.unsignedInteger(), scanner.nextElement() == true,
                          let hlc = scanner.unsignedInteger(), scanner.nextElement() == false,
                          let actorPK = Int64(exactly: actor), let packed = Int64(exactly: hlc)
                    else { return nil }
                    versions[name] = .single(actor: actorPK, seq: seq, hlc: packed)
                } else {
                    guard scanner.unsignedInteger() == 0 else { return nil }
                    versions[name] = .several
                }
                guard let next = scanner.nextMember() else { return nil }
                more = next
            }
            return scanner.isAtEnd() ? versions : nil
        }
        guard let parsed else { return nil }
        self = parsed
    }

    var json: String {
        var out = JSONText(capacity: 40 * slots.count + 2)
        out.raw("{")
        for (index, (name, slot)) in slots.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(name)
            out.raw(":")
            switch slot {
            case .single(let actor, let seq, let hlc):
                out.raw("[")
                out.number(actor)
                out.raw(",")
                out.number(seq)
                out.raw(",")
                out.number(hlc)
                out.raw("]")
            case .several:
                out.raw("0")
            }
        }
        out.raw("}")
        return out.text
    }
}
