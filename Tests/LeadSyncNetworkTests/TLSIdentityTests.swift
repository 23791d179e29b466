import Foundation
import LeadSyncTLS
import LeadSyncTestSupport
import Testing

/// The hub's certificate files and fingerprints: what `hub init` writes and replicas pin.
@Suite struct TLSIdentityTests {
    @Test func generatedCertificateServesAndItsKeyIsPrivate() throws {
        let directory = try TemporaryDirectory("tls-identity")
        let certificatePath = directory.appending("tls-cert.pem").path
        let keyPath = directory.appending("tls-key.pem").path
        let certificate = try HubCertificate.generate(names: HubCertificate.defaultNames)
        try certificate.write(certificateTo: certificatePath, keyTo: keyPath)
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let identity = try TLSServerIdentity(certificatePath: certificatePath, keyPath: keyPath)
        #expect(identity.fingerprint == certificate.fingerprint)
        #expect(try TLSServerIdentity.fingerprint(ofCertificateAt: certificatePath) == certificate.fingerprint)
        #expect(certificate.fingerprint.description.hasPrefix("sha256:") && certificate.fingerprint.hex.count == 64)
        // Never overwritten: a second certificate would lock every replica out.
        #expect(throws: TLSError.self) {
            try HubCertificate.generate(names: ["localhost"]).write(certificateTo: certificatePath, keyTo: keyPath)
        }
        #expect(try TLSServerIdentity.fingerprint(ofCertificateAt: certificatePath) == certificate.fingerprint)
    }

    @Test func aKeyOfAnotherCertificateIsRefused() throws {
        let directory = try TemporaryDirectory("tls-identity")
        let first = try HubCertificate.generate(names: ["localhost"])
        let second = try HubCertificate.generate(names: ["localhost"])
        try first.write(certificateTo: directory.appending("a.pem").path, keyTo: directory.appending("a.key").path)
        try second.write(certificateTo: directory.appending("b.pem").path, keyTo: directory.appending("b.key").path)
        #expect(throws: TLSError.self) {
            try TLSServerIdentity(certificatePath: directory.appending("a.pem").path, keyPath: directory.appending("b.key").path)
        }
        let notPEM = directory.appending("junk.pem").path
        try "not a certificate\n".write(toFile: notPEM, atomically: true, encoding: .utf8)
        #expect(throws: TLSError.self) { try TLSServerIdentity.fingerprint(ofCertificateAt: notPEM) }
        let missing = #expect(throws: TLSError.self) {
            try ClientTrust.certificateAuthority(file: "/nonexistent/ca.pem").validate()
        }
        #expect(missing?.description.hasPrefix("cannot read /nonexistent/ca.pem") == true)
    }

    @Test func fingerprintsParseAsPrintedOrAsOpenSSLPrintsThem() throws {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        #expect(try TLSFingerprint(parsing: "sha256:\(hex)").hex == hex)
        let openSSL = "SHA256:" + stride(from: 0, to: 64, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return hex[start..<hex.index(start, offsetBy: 2)].uppercased()
        }.joined(separator: ":")
        #expect(try TLSFingerprint(parsing: openSSL).description == "sha256:\(hex)")
        for bad in ["", hex, "sha256:", "sha256:\(hex.dropLast())", "sha256:\(hex)00", "sha1:\(hex)", "sha256:\(hex.dropLast())g"] {
            #expect(throws: TLSError.invalidFingerprint(bad), "\(bad)") { try TLSFingerprint(parsing: bad) }
        }
    }
}
