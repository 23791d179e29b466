import Foundation
import LeadSyncHubSQLite
import LeadSyncTLS

extension HubHome {
    /// Makes the hub's self-signed certificate and key unless they exist; returns the certificate's
    /// fingerprint and whether it was made now. A hub home made before TLS gets one this way on its
    /// first `hub serve` or `hub add-node`.
    func ensureCertificate() throws -> (fingerprint: TLSFingerprint, created: Bool) {
        let manager = FileManager.default
        let hasCertificate = manager.fileExists(atPath: certificatePath)
        let hasKey = manager.fileExists(atPath: keyPath)
        if hasCertificate && hasKey {
            return (try TLSServerIdentity.fingerprint(ofCertificateAt: certificatePath), false)
        }
        guard !hasCertificate && !hasKey else {
            throw CLIError("""
                the hub's home has \(hasCertificate ? certificatePath : keyPath) but not \
                \(hasCertificate ? keyPath : certificatePath): restore the missing file, or move both away \
                to make a new certificate (replicas then need the new fingerprint)
                """)
        }
        let certificate = try HubCertificate.generate(names: HubCertificate.defaultNames)
        try certificate.write(certificateTo: certificatePath, keyTo: keyPath)
        return (certificate.fingerprint, true)
    }

    /// `ensureCertificate()`, telling the operator on standard error when it made one.
    func ensureCertificateReporting() throws -> TLSFingerprint {
        let (fingerprint, created) = try ensureCertificate()
        if created {
            FileHandle.standardError.write(Data("""
                made this hub's TLS certificate (its home had none): \(certificatePath), fingerprint \(fingerprint)

                """.utf8))
        }
        return fingerprint
    }
}
