import Foundation
import LeadSyncTLS
import LeadSyncTestSupport
import Testing

/// TLS through the built binary: `hub init` makes the certificate, `hub add-node` prints the line a
/// rep pastes, and `sync` trusts a pinned or CA-issued certificate, or plaintext on both sides only.
@Suite(.serialized) struct TLSCommandTests {
    static let wrongPin = "sha256:" + String(repeating: "ab", count: 32)

    @Test(.timeLimit(.minutes(5))) func thePastedInitLineSyncsOverTLSAndRefusalsAreClear() async throws {
        try await onDedicatedThread { try Self.thePastedInitLineSyncsOverTLSAndRefusalsAreClear() }
    }

    static func thePastedInitLineSyncsOverTLSAndRefusalsAreClear() throws {
        let root = try TemporaryDirectory("tls-e2e")
        let hubHome = root.appending("hub").path
        let initialised = try LeadSyncBinary.run(["hub", "init", "--home", hubHome])
        try #require(initialised.succeeded, "\(initialised.stderr)")
        let fingerprint = try #require(initialised.stdout.split(whereSeparator: \.isWhitespace).last.map(String.init))
        #expect(fingerprint == (try TLSServerIdentity.fingerprint(ofCertificateAt: hubHome + "/tls-cert.pem")).description)
        #expect(try mode(hubHome + "/tls-key.pem") == 0o600)
        let server = try HubProcess(home: hubHome)
        defer { server.stop() }
        let address = "127.0.0.1:\(server.port)"

        // Standard output: the token alone; standard error: the whole line to paste.
        let added = try LeadSyncBinary.run(["hub", "add-node", "anna", "--hub-address", address, "--home", hubHome])
        try #require(added.succeeded, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(added.stdout == token + "\n" && !token.isEmpty)
        let line = try #require(added.stderr.split(separator: "\n").first { $0.contains("leadsync init") })
        #expect(line.contains("--hub \(address) --token=\(token) --fingerprint \(fingerprint)"), "\(line)")
        let annaHome = root.appending("anna").path
        let pasted = line.split(separator: " ").dropFirst().map(String.init) + ["--home", annaHome]
        try #require(try LeadSyncBinary.run(pasted).succeeded)
        try #require(try LeadSyncBinary.run(["add", "--last-name", "Zwiebelmeyer", "--home", annaHome]).succeeded)
        let synced = try LeadSyncBinary.run(["sync", "--home", annaHome])
        #expect(synced.succeeded && synced.stdout.contains("sent 1, received 0"), "\(synced.stderr)")

        let json = try LeadSyncBinary.run(["hub", "add-node", "ben", "--json", "--home", hubHome])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["fingerprint"] as? String == fingerprint && object["node"] as? String == "ben")
        #expect((object["hub"] as? String)?.isEmpty == false && object["hub_address"] is NSNull)
        let benToken = try #require(object["token"] as? String)
        #expect((object["init_command"] as? String)?.contains("--hub HUB_HOST:7420 --token=\(benToken) --fingerprint") == true)

        // A replica that was given no way to check the hub refuses to sync, and says how to fix it.
        let benHome = root.appending("ben").path
        try #require(try LeadSyncBinary.run(["init", "--node", "ben", "--hub", address, "--token=\(benToken)", "--home", benHome]).succeeded)
        let untrusted = try LeadSyncBinary.run(["sync", "--home", benHome])
        #expect(!untrusted.succeeded)
        for hint in ["never trusts an unknown certificate", "hub add-node", "--fingerprint", "config set fingerprint"] {
            #expect(untrusted.stderr.contains(hint), "\(untrusted.stderr)")
        }
        let overridden = try LeadSyncBinary.run(["sync", "--fingerprint", fingerprint, "--home", benHome])
        #expect(overridden.succeeded && overridden.stdout.contains("received 1"), "\(overridden.stderr)")

        let mismatch = try LeadSyncBinary.run(["sync", "--fingerprint", wrongPin, "--home", annaHome])
        #expect(!mismatch.succeeded)
        #expect(mismatch.stderr.contains(fingerprint) && mismatch.stderr.contains(wrongPin), "\(mismatch.stderr)")
        let plaintext = try LeadSyncBinary.run(["sync", "--plaintext", "--home", annaHome])
        #expect(!plaintext.succeeded && plaintext.stderr.contains("requires TLS"), "\(plaintext.stderr)")
    }

    @Test(.timeLimit(.minutes(5))) func caIssuedCertificateAndPlaintextOnBothSides() async throws {
        try await onDedicatedThread { try Self.caIssuedCertificateAndPlaintextOnBothSides() }
    }

    static func caIssuedCertificateAndPlaintextOnBothSides() throws {
        let root = try TemporaryDirectory("tls-ca-e2e")
        let authority = try TestCertificateAuthority()
        let caFile = root.appending("ca.pem").path
        let certificate = root.appending("hub-cert.pem").path
        let key = root.appending("hub-key.pem").path
        try authority.writeCertificate(to: caFile)
        try authority.issue(names: ["localhost"], certificatePath: certificate, keyPath: key)

        let hub = try CLIHub(home: root.appending("hub").path)
        let anna = try hub.addNode("anna", ["--tls-cert", certificate])
        #expect(anna.fingerprint == (try TLSServerIdentity.fingerprint(ofCertificateAt: certificate)).description)
        let server = try hub.serve(["--tls-cert", certificate, "--tls-key", key])
        defer { server.stop() }
        let annaHome = root.appending("anna").path
        let initialised = try LeadSyncBinary.run([
            "init", "--node", "anna", "--hub", "localhost:\(server.port)", "--token=\(anna.token)", "--ca-file", caFile,
            "--home", annaHome,
        ])
        try #require(initialised.succeeded, "\(initialised.stderr)")
        let synced = try LeadSyncBinary.run(["sync", "--home", annaHome])
        #expect(synced.succeeded, "\(synced.stderr)")
        // The certificate names localhost only: the same hub by its IP address is refused.
        let byAddress = try LeadSyncBinary.run(["sync", "--hub", "127.0.0.1:\(server.port)", "--home", annaHome])
        #expect(!byAddress.succeeded && byAddress.stderr.contains("does not name the host 127.0.0.1"), "\(byAddress.stderr)")

        let plainHub = try CLIHub(home: root.appending("plain-hub").path)
        let ben = try plainHub.addNode("ben", ["--plaintext"])
        #expect(ben.fingerprint == nil && ben.plaintext)
        let plainServer = try plainHub.serve(["--plaintext"])
        defer { plainServer.stop() }
        let benHome = root.appending("ben").path
        try #require(try LeadSyncBinary.run(ben.initArguments(port: plainServer.port) + ["--home", benHome]).succeeded)
        let plainSync = try LeadSyncBinary.run(["sync", "--home", benHome])
        #expect(plainSync.succeeded, "\(plainSync.stderr)")
        let tlsToPlain = try LeadSyncBinary.run(["sync", "--fingerprint", wrongPin, "--home", benHome])
        #expect(!tlsToPlain.succeeded && tlsToPlain.stderr.contains("does not speak TLS"), "\(tlsToPlain.stderr)")
    }

    @Test(.timeLimit(.minutes(3))) func aHubHomeFromBeforeTLSGetsACertificateOnFirstServe() async throws {
        try await onDedicatedThread { try Self.aHubHomeFromBeforeTLSGetsACertificateOnFirstServe() }
    }

    static func aHubHomeFromBeforeTLSGetsACertificateOnFirstServe() throws {
        let root = try TemporaryDirectory("tls-old-home")
        let hub = try CLIHub(home: root.appending("hub").path)
        let certificate = hub.home + "/tls-cert.pem"
        let key = hub.home + "/tls-key.pem"
        for file in [certificate, key] { try FileManager.default.removeItem(atPath: file) }
        let server = try hub.serve()
        defer { server.stop() }
        #expect(try mode(key) == 0o600)
        let anna = try hub.addNode("anna")
        #expect(anna.fingerprint == (try TLSServerIdentity.fingerprint(ofCertificateAt: certificate)).description)
        let home = root.appending("anna").path
        try #require(try LeadSyncBinary.run(anna.initArguments(port: server.port) + ["--home", home]).succeeded)
        let synced = try LeadSyncBinary.run(["sync", "--home", home])
        #expect(synced.succeeded, "\(synced.stderr)")

        // Half a certificate is never replaced silently.
        try FileManager.default.removeItem(atPath: key)
        let refused = try LeadSyncBinary.run(["hub", "add-node", "ben", "--home", hub.home])
        #expect(!refused.succeeded && refused.stderr.contains("tls-key.pem"), "\(refused.stderr)")
    }

    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }
}
