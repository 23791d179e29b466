import Crypto
import Foundation
import LeadSyncTLS
import SwiftASN1
import X509

/// A certificate authority made inside a test, to issue a hub certificate the way an operator's
/// own CA would (`hub serve --tls-cert/--tls-key`, replicas with `--ca-file`).
public struct TestCertificateAuthority {
    public let name: String
    private let key: P256.Signing.PrivateKey
    private let certificate: Certificate

    public init(name: String = "LeadSync Test CA") throws {
        self.name = name
        key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(key))
    }

    /// Writes the CA certificate (PEM), the file replicas get as `--ca-file`.
    public func writeCertificate(to path: String) throws {
        try (certificate.serializeAsPEM().pemString + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Issues a server certificate for `names` (DNS names or IP addresses) and writes it and its
    /// key as PEM files.
    public func issue(names: [String], certificatePath: String, keyPath: String) throws {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: certificate.subject, subject: try DistinguishedName { CommonName(names.first ?? "hub") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names.map(HubCertificate.generalName))
            },
            issuerPrivateKey: .init(key))
        try (leaf.serializeAsPEM().pemString + "\n").write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try (leafKey.pemRepresentation + "\n").write(toFile: keyPath, atomically: true, encoding: .utf8)
    }
}
