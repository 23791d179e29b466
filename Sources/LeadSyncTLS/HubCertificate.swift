import Crypto
import Foundation
import SwiftASN1
import X509

/// A self-signed P-256 certificate and its key, made by `leadsync hub init`. Replicas trust it by
/// its fingerprint (they pin it), so its names and dates are informative only.
public struct HubCertificate: Sendable {
    /// The certificate, PEM.
    public let certificatePEM: String
    /// The private key, PEM (PKCS #8).
    public let keyPEM: String
    public let fingerprint: TLSFingerprint

    /// Makes a new certificate for the given host names and addresses (subject alternative names).
    /// - Parameters:
    ///   - names: DNS names and IPv4/IPv6 addresses, e.g. `localhost`, `127.0.0.1`, `::1`.
    ///   - validFor: how long from now it is valid (pinned replicas ignore it).
    public static func generate(names: [String], now: Date = Date(), validFor: TimeInterval = 20 * 365 * 86_400)
        throws(TLSError) -> HubCertificate
    {
        let key = P256.Signing.PrivateKey()
        do {
            let subject = try DistinguishedName {
                OrganizationName("LeadSync")
                CommonName("LeadSync hub")
            }
            let alternativeNames = names.map(generalName)
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(validFor),
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                issuerPrivateKey: .init(key))
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return HubCertificate(
                certificatePEM: try certificate.serializeAsPEM().pemString + "\n", keyPEM: key.pemRepresentation + "\n",
                fingerprint: TLSFingerprint(derBytes: serializer.serializedBytes))
        } catch {
            throw .cannotGenerate("\(error)")
        }
    }

    /// The names a hub's own certificate carries: loopback plus this machine's host name.
    public static var defaultNames: [String] {
        var names = ["localhost", "127.0.0.1", "::1"]
        let host = ProcessInfo.processInfo.hostName
        if !host.isEmpty, !names.contains(host) { names.append(host) }
        return names
    }

    /// An IP address literal becomes an `iPAddress` subject alternative name, anything else a `dNSName`.
    public static func generalName(_ name: String) -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v4) { ArraySlice($0) }))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v6) { ArraySlice($0) }))
        }
        return .dnsName(name)
    }

    /// Writes the certificate (0644) and the key (created 0600, never readable by others, even for
    /// a moment). Refuses to overwrite either file.
    public func write(certificateTo certificatePath: String, keyTo keyPath: String) throws(TLSError) {
        try PrivateFile.create(keyPath, contents: keyPEM, mode: 0o600)
        do {
            try PrivateFile.create(certificatePath, contents: certificatePEM, mode: 0o644)
        } catch {
            try? FileManager.default.removeItem(atPath: keyPath)
            throw error
        }
    }
}
