import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// Why the hub did not publish a rules file.
public enum RulesPublishError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not parse; nothing was written. The error names the file, line and token.
    case invalid(RulesError)
    /// The file is larger than ``RulesPublisher/maxBytes``.
    case tooLarge(name: String, bytes: Int)
    /// The store is not the hub's (only the hub writes settings).
    case notTheHub(String)
    /// The file holds a control character replicas refuse (``LeadValidator/settingValue(_:)``).
    case invalidText(name: String, LeadError)

    public var description: String {
        switch self {
        case .invalid(let error):
            error.description
        case .tooLarge(let name, let bytes):
            "\(name) is too large (\(bytes) bytes): a rules file may have at most \(RulesPublisher.maxBytes) bytes"
        case .invalidText(let name, let error):
            "\(name): \(error)"
        case .notTheHub(let path):
            "\(path) is not a hub's store: only the hub sets the rules ('leadsync hub rules set FILE --home HUB')"
        }
    }
}

/// Publishes a rules file from the hub: it becomes the `rules` setting, an operation of a new actor
/// of node `hub` on ``RecordID/settings`` that every replica receives on its next sync.
public enum RulesPublisher {
    /// The largest rules file accepted, in UTF-8 bytes; keeps the setting operation far below the
    /// protocol's line limit.
    public static let maxBytes = 256 * 1024

    /// What ``publish(_:name:to:)`` did.
    public enum Outcome: Sendable, Hashable {
        /// The rules were written: the setting operation.
        case published(Op, Rules)
        /// The hub already had exactly this text; nothing was written.
        case unchanged(Rules)

        public var rules: Rules {
            switch self {
            case .published(_, let rules), .unchanged(let rules): rules
            }
        }
    }

    /// Checks a rules file as the hub publishes it: its size, its text (replicas refuse a setting
    /// with control characters: never write one) and its rules. Touches no store.
    /// - Throws: ``RulesPublishError``.
    public static func check(_ text: String, name: String) throws(RulesPublishError) -> Rules {
        guard text.utf8.count <= maxBytes else { throw .tooLarge(name: name, bytes: text.utf8.count) }
        do {
            _ = try LeadValidator.settingValue(text)
        } catch {
            throw .invalidText(name: name, error)
        }
        do {
            return try RulesFile.parse(text, name: name)
        } catch {
            throw .invalid(error)
        }
    }

    /// Parses `text` and, when it parses, commits it as the hub's `rules` setting.
    ///
    /// - Parameters:
    ///   - text: The rules file, verbatim (it is replicated as is).
    ///   - name: The file name parse errors start with.
    ///   - store: The hub's store; it must have the hub's identity (node `hub`).
    /// - Throws: ``RulesPublishError`` (nothing written), or a ``StoreError``.
    public static func publish(_ text: String, name: String, to store: Store) throws -> Outcome {
        let rules = try check(text, name: name)
        guard try store.identity()?.node == .hub else { throw RulesPublishError.notTheHub(store.path) }
        guard let op = try store.publishSetting(name: ActiveRules.settingName, value: text) else { return .unchanged(rules) }
        return .published(op, rules)
    }
}
