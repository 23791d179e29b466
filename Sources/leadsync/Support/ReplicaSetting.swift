import Foundation
import LeadSyncCore
import LeadSyncStore

/// A replica setting `leadsync config` shows and changes. Stored in the replica as
/// `setting.<raw value>` (the names are a contract: sync, TLS, import and capture read them).
enum ReplicaSetting: String, CaseIterable {
    case hub, token, fingerprint
    case caFile = "ca_file"
    case plaintext, event, region, timezone

    /// What the setting is for, in `config --help` and `config` output.
    var summary: String {
        switch self {
        case .hub: "the hub to sync with, HOST:PORT"
        case .token: "the token the hub issued for this node ('leadsync hub add-node'); '-' reads it from standard input"
        case .fingerprint: "the hub certificate's pin, sha256: and 64 hex digits"
        case .caFile: "a CA certificate file that signs the hub's certificate"
        case .plaintext: "true to sync without TLS (a hub on a trusted network)"
        case .event: "the default event (fair) of add, capture and import"
        case .region: "the default phone region, an ISO 3166-1 alpha-2 code such as DE"
        case .timezone: "the time zone of times you type and read, an IANA name such as Europe/Berlin (default: $TZ)"
        }
    }

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    init(name: String) throws {
        guard let setting = ReplicaSetting(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw CLIError("unknown setting '\(name)': use one of \(Self.names)", status: .usage)
        }
        self = setting
    }

    /// The value in its stored form; a value that would not work is refused with the reason.
    func validate(_ raw: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch self {
        case .hub:
            try InitCommand.checkHubAddress(value)
            return value
        case .token:
            guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
                throw CLIError("invalid token: expected the token 'leadsync hub add-node' printed, without spaces", status: .dataError)
            }
            return value
        case .fingerprint:
            let lower = value.lowercased()
            let hex = lower.dropFirst("sha256:".count)
            guard lower.hasPrefix("sha256:"), hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                throw CLIError(
                    "invalid fingerprint '\(value)': expected sha256: followed by 64 hex digits (the hub prints it at start)",
                    status: .dataError)
            }
            return lower
        case .caFile:
            guard !value.isEmpty else { throw CLIError("invalid ca_file: give the path of a certificate file", status: .dataError) }
            let path = URL(fileURLWithPath: value).standardizedFileURL.path
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw CLIError("ca_file '\(value)' cannot be read: give the path of a readable certificate file", status: .notFound)
            }
            return path
        case .plaintext:
            switch value.lowercased() {
            case "true", "yes", "1": return "true"
            case "false", "no", "0": return "false"
            default: throw CLIError("invalid plaintext '\(value)': use true or false", status: .dataError)
            }
        case .event:
            return try InputParsing.value(value, for: .event)
        case .region:
            let code = value.uppercased()
            guard code.count == 2, Locale.Region.isoRegions.contains(where: { $0.identifier == code }) else {
                throw CLIError("invalid region '\(value)': expected an ISO 3166-1 alpha-2 code such as DE, AT or CH", status: .dataError)
            }
            return code
        case .timezone:
            guard !value.isEmpty, TimeZone(identifier: value) != nil else {
                throw CLIError("unknown time zone '\(value)': expected an IANA name such as Europe/Berlin or UTC", status: .dataError)
            }
            return value
        }
    }

    /// The value as `config` prints it: a token is masked, never shown in full.
    func display(_ value: String) -> String {
        guard self == .token else { return value }
        return String(value.prefix(4)) + "…" + " (\(value.count) characters)"
    }
}
