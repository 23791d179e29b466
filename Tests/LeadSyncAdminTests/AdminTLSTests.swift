import Foundation
import LeadSyncAdmin
import LeadSyncTLS
import LeadSyncTestSupport
import Testing

/// The admin server over HTTPS with the hub's certificate (`--admin-tls`, forced on loopback the
/// way a non-loopback address gets it), checked by curl trusting only that certificate.
@Suite struct AdminTLSTests {
    @Test(.timeLimit(.minutes(3))) func adminServerSpeaksTLSWithTheHubCertificate() async throws {
        try await onDedicatedThread { try Self.adminServerSpeaksTLS() }
    }

    static func adminServerSpeaksTLS() throws {
        var token = ""
        let hub = try AdminTestHub("admin-tls", arguments: ["--admin-tls"]) { home in
            token = try AdminTestHub.run(["hub", "admin-token", "create", "ops", "--home", home])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let certificate = hub.home + "/tls-cert.pem"
        let base = "https://127.0.0.1:\(hub.adminPort)"

        let health = try curl(["--cacert", certificate, base + "/healthz"])
        #expect(health.status == 0 && health.body.hasSuffix("ok\n"), "\(health)")
        let nodes = try curl(["--cacert", certificate, "-H", "Authorization: Bearer \(token)", base + "/api/v1/nodes"])
        #expect(nodes.status == 0 && nodes.body.contains("200") && nodes.body.contains(#""nodes""#), "\(nodes)")
        let anonymous = try curl(["--cacert", certificate, base + "/api/v1/nodes"])
        #expect(anonymous.body.contains("HTTP/1.1 401"), "\(anonymous)")

        // The sign-in cookie is Secure under TLS (and still HttpOnly, SameSite=Strict).
        let signIn = try curl(["--cacert", certificate, "--data-urlencode", "token=\(token)", base + "/signin"])
        let cookie = signIn.body.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") }.map(String.init) ?? ""
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("; Secure"), "\(signIn)")

        // Only that certificate is trusted: curl without it refuses the server, and plain HTTP gets no page.
        let untrusted = try curl([base + "/healthz"])
        #expect(untrusted.status == 60, "curl should refuse an unknown certificate: \(untrusted)")
        let plain = try curl(["http://127.0.0.1:\(hub.adminPort)/healthz"])
        #expect(!plain.body.contains("ok\n"), "\(plain)")

        #expect(hub.terminate(within: 20) == 0)
    }

    @Test func aNonLoopbackAddressRequiresTLS() throws {
        let root = try TemporaryDirectory("admin-tls-config")
        let certificate = try HubCertificate.generate(names: ["127.0.0.1"])
        let (cert, key) = (root.appending("cert.pem").path, root.appending("key.pem").path)
        try certificate.write(certificateTo: cert, keyTo: key)
        let identity = try TLSServerIdentity(certificatePath: cert, keyPath: key)
        #expect(throws: AdminServerError.nonLoopbackHost("0.0.0.0")) {
            try AdminServerConfiguration(host: "0.0.0.0", port: 1).validated()
        }
        let secured = try AdminServerConfiguration(host: "0.0.0.0", port: 1, tls: identity).validated()
        #expect(secured.secureCookies)
        #expect(!AdminServerConfiguration(host: "127.0.0.1", port: 1).secureCookies)
    }

    /// `curl -sS -i ARGS`: exit status and output (headers and body).
    static func curl(_ arguments: [String]) throws -> (status: Int32, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sS", "-i", "--max-time", "20"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
