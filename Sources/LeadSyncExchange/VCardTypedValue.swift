import Foundation

/// One occurrence of a repeatable property (EMAIL, TEL, URL, ADR) with what is needed to decide
/// which occurrence becomes the standard field and what the others are called.
struct VCardTypedValue: Sendable {
    /// Unescaped value (unused for ADR, which has components).
    var value: String
    /// Unescaped structured components (ADR only).
    var components: [String] = []
    var types: [String]
    var pref: Int?
    /// The field named by ``VCardWriter``'s `X-LEADSYNC-FIELD` parameter, if valid.
    var explicitField: String?
}

/// The rules for repeatable properties, kept apart so parser behaviour is easy to audit.
enum VCardValueSelection {
    /// The occurrence that becomes the standard field: the lowest PREF (a `pref` type counts as
    /// 1), else the first `work` one, else the first one. Occurrences with any of
    /// `secondaryTypes` (a fax number, say) only win when nothing else is left.
    static func primaryIndex(of values: [VCardTypedValue], secondaryTypes: Set<String> = []) -> Int? {
        let candidates = values.indices.filter { values[$0].explicitField == nil }
        guard !candidates.isEmpty else { return nil }
        let preferred = candidates.filter { values[$0].pref != nil }
        if let best = preferred.min(by: { (values[$0].pref ?? .max) < (values[$1].pref ?? .max) }) {
            return best
        }
        let usable = candidates.filter { Set(values[$0].types).isDisjoint(with: secondaryTypes) }
        if let work = usable.first(where: { values[$0].types.contains("work") }) { return work }
        return usable.first ?? candidates.first
    }

    /// A deterministic custom name for a non-primary occurrence that collides with nothing in
    /// `used`: `x_<base>_<type>` for the most telling TYPE (`x_email_home`, `x_phone_cell`),
    /// with `_2`, `_3`… appended on collision, or `x_<base>_<n>` (n ≥ 2) when untyped.
    static func customName(
        base: String,
        types: [String],
        ignoredTypes: Set<String>,
        typeRank: [String] = [],
        used: Set<String>
    ) -> String {
        let meaningful = types.filter { !ignoredTypes.contains($0) }
        let chosen = typeRank.first(where: meaningful.contains) ?? meaningful.first
        var label = chosen.map { type in
            LeadFields.snakeCase(type.hasPrefix("x-") ? String(type.dropFirst(2)) : type)
        } ?? ""
        if label.allSatisfy(\.isNumber) { label = "" }  // a bare number would look like our counter
        if !label.isEmpty {
            let name = "x_\(base)_\(label)"
            if !used.contains(name) { return name }
            return firstFree("\(name)_", from: 2, used: used)
        }
        return firstFree("x_\(base)_", from: 2, used: used)
    }

    private static func firstFree(_ prefix: String, from start: Int, used: Set<String>) -> String {
        var counter = start
        while used.contains("\(prefix)\(counter)") { counter += 1 }
        return "\(prefix)\(counter)"
    }
}
