import ArgumentParser
import Foundation
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTLS

/// How a replica checks its hub: `--fingerprint`, `--ca-file` or `--plaintext` (at most one), for
/// `init` (stored as the settings `fingerprint`, `ca_file`, `plaintext`) and `sync` (overrides them).
struct TransportOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Pin the hub's TLS certificate by its fingerprint, as 'leadsync hub add-node' prints it.",
        valueName: "sha256:hex"))
    var fingerprint: String?

    @Option(help: ArgumentHelp(
        "Trust a hub certificate issued by a CA in this PEM file (the hub's host name is checked).",
        valueName: "file"))
    var caFile: String?

    @Flag(help: "Talk to a hub that runs 'hub serve --plaintext' (no TLS: the token and leads cross the network readable).")
    var plaintext = false

    static let fingerprintKey = "fingerprint"
    static let caFileKey = "ca_file"
    static let plaintextKey = "plaintext"

    func validate() throws {
        let given = [fingerprint != nil, caFile != nil, plaintext].filter { $0 }.count
        guard given <= 1 else { throw ValidationError("pass at most one of --fingerprint, --ca-file and --plaintext") }
        if let fingerprint {
            do { _ = try TLSFingerprint(parsing: fingerprint) } catch { throw ValidationError(error.description) }
        }
    }

    /// The transport these options ask for; nil when none was given.
    func transport() throws -> ClientTransport? {
        if let fingerprint { return .tls(.pinned(try TLSFingerprint(parsing: fingerprint))) }
        if let caFile {
            let trust = ClientTrust.certificateAuthority(file: URL(fileURLWithPath: caFile).standardizedFileURL.path)
            do { try trust.validate() } catch { throw CLIError("--ca-file: \(error)") }
            return .tls(trust)
        }
        return plaintext ? .plaintext : nil
    }

    /// Stores the transport in the replica's settings, replacing any earlier choice.
    static func store(_ transport: ClientTransport, in store: Store) throws {
        let values: (fingerprint: String?, caFile: String?, plaintext: String?) = switch transport {
        case .tls(.pinned(let pin)): (pin.description, nil, nil)
        case .tls(.certificateAuthority(let file)): (nil, file, nil)
        case .plaintext: (nil, nil, "true")
        }
        try store.setSetting(fingerprintKey, to: values.fingerprint)
        try store.setSetting(caFileKey, to: values.caFile)
        try store.setSetting(plaintextKey, to: values.plaintext)
    }

    /// The transport stored at `init` (or by `config set`): a pin wins over a CA file, and
    /// plaintext is used only when neither is set and `plaintext` is `true`.
    static func stored(in store: Store) throws -> ClientTransport? {
        if let text = try store.setting(fingerprintKey), !text.isEmpty {
            return .tls(.pinned(try TLSFingerprint(parsing: text)))
        }
        if let file = try store.setting(caFileKey), !file.isEmpty { return .tls(.certificateAuthority(file: file)) }
        return try store.setting(plaintextKey) == "true" ? .plaintext : nil
    }

    /// One line for people: how this replica reaches its hub.
    static func describe(_ transport: ClientTransport?) -> String {
        switch transport {
        case .tls(.pinned(let pin)): "TLS, hub certificate pinned to \(pin)"
        case .tls(.certificateAuthority(let file)): "TLS, hub certificate checked against the CA file \(file)"
        case .plaintext: "plaintext (--plaintext): the token and leads cross the network readable"
        case nil: "not set: 'leadsync sync' needs --fingerprint sha256:… (from 'leadsync hub add-node'), --ca-file or --plaintext"
        }
    }
}
