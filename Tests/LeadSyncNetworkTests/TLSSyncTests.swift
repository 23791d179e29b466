import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import Testing

/// Sync over TLS: a pinned self-signed certificate, a CA-issued one with the host checked, and a
/// clear refusal — with nothing sent, not even the token — for every way trust can fail.
@Suite struct TLSSyncTests {
    @Test func pinnedSelfSignedCertificateSyncs() async throws {
        try await withTestHub(transport: .tls) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            try anna.addLeads(3)
            try ben.addLeads(2)
            #expect(try await hub.sync(anna).sent == 3)
            let second = try await hub.sync(ben)
            #expect(second.sent == 2 && second.received == 3)
            #expect(try await hub.sync(anna).received == 2)
            try expectConverged([anna.store, ben.store, hub.store])
        }
    }

    @Test func caIssuedCertificateSyncsWhenItNamesTheHost() async throws {
        let files = try TemporaryDirectory("tls-ca")
        let authority = try TestCertificateAuthority()
        let caFile = files.appending("ca.pem").path
        try authority.writeCertificate(to: caFile)
        let identity = try Self.issue(by: authority, names: ["localhost", "127.0.0.1"], in: files)
        let trust = ClientTransport.tls(.certificateAuthority(file: caFile))
        try await withTestHub(transport: .identity(identity, client: trust)) { hub in
            let anna = try hub.addReplica("anna")
            try anna.addLeads(2)
            #expect(try await hub.sync(anna).sent == 2)
            #expect(try hub.store.counts().operations == 2)
        }
    }

    @Test func caIssuedCertificateForAnotherHostIsRefused() async throws {
        let files = try TemporaryDirectory("tls-ca")
        let authority = try TestCertificateAuthority()
        let caFile = files.appending("ca.pem").path
        try authority.writeCertificate(to: caFile)
        let identity = try Self.issue(by: authority, names: ["hub.example.test"], in: files)
        try await withTestHub(transport: .identity(identity, client: .tls(.certificateAuthority(file: caFile)))) { hub in
            let error = try await Self.refusal(hub)
            guard case .untrustedCertificate(_, let file, let reason) = error else {
                Issue.record("expected an untrusted certificate, got \(error)")
                return
            }
            #expect(file == caFile)
            #expect(reason.contains("does not name the host 127.0.0.1"), "\(reason)")
        }
    }

    @Test func certificateOfAnUnknownCAIsRefused() async throws {
        let files = try TemporaryDirectory("tls-ca")
        let hubAuthority = try TestCertificateAuthority(name: "Hub CA")
        let otherAuthority = try TestCertificateAuthority(name: "Other CA")
        let caFile = files.appending("other-ca.pem").path
        try otherAuthority.writeCertificate(to: caFile)
        let identity = try Self.issue(by: hubAuthority, names: ["127.0.0.1"], in: files)
        try await withTestHub(transport: .identity(identity, client: .tls(.certificateAuthority(file: caFile)))) { hub in
            let error = try await Self.refusal(hub)
            guard case .untrustedCertificate = error else {
                Issue.record("expected an untrusted certificate, got \(error)")
                return
            }
            #expect(error.description.contains("not issued by a CA in that file"), "\(error)")
            #expect(error.description.contains(caFile))
        }
    }

    @Test func wrongFingerprintIsRefusedNamingBothFingerprints() async throws {
        try await withTestHub(transport: .tls) { hub in
            let served = try #require(hub.fingerprint)
            let wrong = try TLSFingerprint(parsing: "sha256:" + String(repeating: "ab", count: 32))
            let error = try await Self.refusal(hub, transport: .tls(.pinned(wrong)))
            #expect(error == .fingerprintMismatch(hub: "127.0.0.1:\(hub.port)", pinned: wrong, presented: served))
            #expect(error.description.contains(served.description) && error.description.contains(wrong.description))
            #expect(error.description.contains("leadsync config set fingerprint"))
        }
    }

    @Test func plaintextClientToATLSHubIsToldTLSIsRequired() async throws {
        try await withTestHub(transport: .tls) { hub in
            let error = try await Self.refusal(hub, transport: .plaintext)
            #expect(error == .hubRequiresTLS(hub: "127.0.0.1:\(hub.port)"))
            #expect(error.description.contains("requires TLS") && error.description.contains("--fingerprint"))
        }
    }

    /// Without the hub's check of the first byte, the client would wait for the hub's hello timeout
    /// (60 s here) and fail its own handshake deadline (5 s) first, with another error.
    @Test func tlsClientToAPlaintextHubIsToldItDoesNotSpeakTLS() async throws {
        try await withTestHub(transport: .plaintext, limits: Limits(helloTimeoutMillis: 60_000, maxConnections: 8)) { hub in
            let pin = try TLSFingerprint(parsing: "sha256:" + String(repeating: "0", count: 64))
            let clock = ContinuousClock()
            let started = clock.now
            let error = try await Self.refusal(hub, transport: .tls(.pinned(pin)))
            #expect(error == .hubNotTLS(hub: "127.0.0.1:\(hub.port)"))
            #expect(error.description.contains("does not speak TLS") && error.description.contains("--plaintext"))
            #expect(clock.now - started < .seconds(30), "refused at once, not after the hub's hello timeout")
        }
    }

    /// An eavesdropper between replica and hub sees neither the token nor any lead over TLS; the
    /// same relay sees both in plaintext, so the check can fail.
    @Test(arguments: [true, false]) func relayedTrafficHidesTokenAndLeadsOnlyOverTLS(tls: Bool) async throws {
        try await withTestHub(transport: tls ? .tls : .plaintext) { hub in
            let relay = try await LoopbackRelay.start(to: hub.port)
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            _ = try anna.store.add(fields: ["first_name": "Kunigunde", "last_name": "Zwiebelmeyer", "company": "Quarkwerk AG"])
            _ = try ben.store.add(fields: ["first_name": "Hieronymus", "last_name": "Brotkorb", "company": "Senf & Söhne"])
            #expect(try await hub.client(for: anna, port: relay.port).sync().sent == 1)
            #expect(try await hub.client(for: ben, port: relay.port).sync().received == 1)
            await relay.close()
            #expect(relay.bytes.count > 1_000, "the sessions went through the relay")
            let secrets = [anna.token, ben.token, "Kunigunde", "Zwiebelmeyer", "Quarkwerk", "Hieronymus", "Brotkorb"]
            for secret in secrets {
                #expect(relay.captured(secret) == !tls, "\(secret) \(tls ? "visible over TLS" : "not seen in plaintext")")
            }
        }
    }

    static func issue(by authority: TestCertificateAuthority, names: [String], in files: TemporaryDirectory) throws
        -> TLSServerIdentity
    {
        let certificate = files.appending("hub-cert.pem").path
        let key = files.appending("hub-key.pem").path
        try authority.issue(names: names, certificatePath: certificate, keyPath: key)
        return try TLSServerIdentity(certificatePath: certificate, keyPath: key)
    }

    /// Syncs a new replica that must be refused; checks the hub saw nothing of it and returns why.
    static func refusal(_ hub: TestHub, transport: ClientTransport? = nil) async throws -> SyncError {
        let anna = try hub.addReplica("anna")
        try anna.addLeads(1)
        let before = try hub.snapshot()
        let outcome: Result<SyncSummary, SyncError>
        do {
            outcome = .success(try await hub.client(for: anna, transport: transport).sync())
        } catch {
            outcome = .failure(error)
        }
        #expect(try hub.snapshot() == before)
        #expect(try hub.registry.node(anna.node)?.lastAddress == nil, "the hub never authenticated the replica")
        guard case .failure(let error) = outcome else {
            Issue.record("the sync was not refused")
            throw SyncError.noTrustConfigured
        }
        return error
    }
}
