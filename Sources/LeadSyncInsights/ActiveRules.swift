import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// The rules a store scores and routes with: the rules file the hub replicated (setting `rules`),
/// or the built-in ``Rules/default`` until one arrives or when the one that arrived does not parse.
public struct ActiveRules: Sendable {
    /// Where the rules in use come from.
    public enum Source: Sendable, Hashable {
        /// The hub's rules file, replicated and parsed.
        case hub
        /// No rules file has reached this store yet: the built-in rules.
        case builtIn
        /// The replicated rules file does not parse here (e.g. written by a newer LeadSync): the
        /// built-in rules are used instead, and this error says why.
        case unusable(RulesError)
    }

    /// The name of the replicated setting that holds the rules file.
    public static let settingName = "rules"
    /// The name errors and explanations give the replicated rules file (`hub rules line 7: …`).
    public static let replicatedName = "hub rules"

    /// The rules in use.
    public let rules: Rules
    /// Where they come from.
    public let source: Source

    /// The rules for `text`, the replicated setting's value (nil when none arrived yet).
    public init(replicatedText text: String?) {
        guard let text else {
            (rules, source) = (.default, .builtIn)
            return
        }
        do {
            (rules, source) = (try RulesFile.parse(text, name: Self.replicatedName), .hub)
        } catch {
            (rules, source) = (.default, .unusable(error))
        }
    }

    /// The rules `store` holds: its replicated `rules` setting, else the built-in rules.
    public static func load(from store: Store) throws(StoreError) -> ActiveRules {
        ActiveRules(replicatedText: try store.replicatedSetting(settingName))
    }

    /// One line saying where the rules come from, for text output.
    public var summary: String {
        switch source {
        case .hub: "the hub's rules"
        case .builtIn: "the built-in rules (the hub has not set any)"
        case .unusable(let error): "the built-in rules, because the hub's rules do not parse here (\(error))"
        }
    }

    /// `hub`, `built_in` or `unusable`: the JSON spelling of ``source``.
    public var sourceName: String {
        switch source {
        case .hub: "hub"
        case .builtIn: "built_in"
        case .unusable: "unusable"
        }
    }
}
