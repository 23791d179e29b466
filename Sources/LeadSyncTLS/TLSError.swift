/// What went wrong with a certificate, a key or a pin, worded for the person who can fix it.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidFingerprint(String)
    case unreadableFile(path: String, reason: String)
    case invalidCertificate(path: String, reason: String)
    case invalidKey(path: String, reason: String)
    /// The key does not belong to the certificate, or the pair cannot serve TLS.
    case unusableIdentity(certificate: String, key: String, reason: String)
    case cannotCreate(path: String, reason: String)
    case cannotGenerate(String)

    public var description: String {
        switch self {
        case .invalidFingerprint(let text):
            "invalid fingerprint '\(text)': expected sha256: followed by 64 hex digits, as 'leadsync hub add-node' prints it"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidCertificate(let path, let reason):
            "\(path) holds no usable PEM certificate (\(reason)); expected '-----BEGIN CERTIFICATE-----' blocks"
        case .invalidKey(let path, let reason):
            "\(path) holds no usable PEM private key (\(reason)); expected '-----BEGIN PRIVATE KEY-----' or an EC/RSA key"
        case .unusableIdentity(let certificate, let key, let reason):
            "cannot serve TLS with certificate \(certificate) and key \(key): \(reason); check that the key belongs to the certificate"
        case .cannotCreate(let path, let reason):
            "cannot create \(path): \(reason); nothing else was written"
        case .cannotGenerate(let reason):
            "cannot generate the hub's certificate: \(reason)"
        }
    }
}
