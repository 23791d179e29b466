import LeadSyncCore
import LeadSyncInsights
import LeadSyncRules
import LeadSyncStore

/// The scoring part of `list`: scores for every listed lead, `--sort score`, `--temperature` and
/// `--owner me`. Kept apart from the store's SQL filters, which score and temperature are not
/// (they are derived, never stored).
struct ListScoring {
    /// `--sort score`: highest score first (`--desc` reverses), ties in capture order.
    let byScore: Bool
    /// `--temperature`.
    let temperature: Temperature?

    /// The word `--sort` takes for ordering by score.
    static let scoreSort = "score"
    /// The word `--owner` takes for this replica's node.
    static let me = "me"

    init(sort: String, temperature: String?) throws {
        byScore = sort.lowercased() == Self.scoreSort
        self.temperature = try temperature.map { raw in
            guard let value = Temperature(rawValue: raw.lowercased()) else {
                throw LeadError.invalidValue(field: "temperature", value: raw, allowed: Temperature.allCases.map(\.rawValue))
            }
            return value
        }
    }

    /// The store's sort for `--sort`; `score` reads in capture order and is sorted afterwards.
    static func storeSort(_ raw: String) throws -> LeadFilter.Sort {
        if raw.lowercased() == scoreSort { return .created }
        guard let sort = LeadFilter.Sort(rawValue: raw.lowercased()) else {
            throw LeadError.invalidValue(
                field: "sort", value: raw, allowed: LeadFilter.Sort.allCases.map(\.rawValue) + [scoreSort])
        }
        return sort
    }

    /// Whether the store must return every matching lead, `--limit` being applied after scoring.
    var limitsAfterScoring: Bool { byScore || temperature != nil }

    /// Filters by temperature, sorts by score, and applies `limit` when the store could not.
    func arrange(_ leads: [Lead], scores: [RecordID: ScoreReport], descending: Bool, limit: Int?) -> [Lead] {
        guard limitsAfterScoring else { return leads }
        var result = leads
        if let temperature { result = result.filter { scores[$0.id]?.temperature == temperature } }
        if byScore {
            // The store returned capture order (reversed with --desc); keep it for ties.
            let order = descending ? Array(result.reversed()) : result
            let sorted = order.enumerated().sorted {
                let (a, b) = (scores[$0.element.id]?.total ?? 0, scores[$1.element.id]?.total ?? 0)
                return a != b ? a > b : $0.offset < $1.offset
            }.map(\.element)
            result = descending ? sorted.reversed() : sorted
        }
        if let limit { result = Array(result.prefix(limit)) }
        return result
    }

    /// `--owner me`: this replica's node name; a hub's home has no "me".
    static func owner(_ raw: String, home: ReadableHome) throws -> String {
        guard raw == me else { return try InputParsing.value(raw, for: .owner) }
        guard let replica = home.replica else {
            throw CLIError("--owner me means this replica's node, and a hub's home has none: give the owner's name")
        }
        return replica.node.rawValue
    }
}
