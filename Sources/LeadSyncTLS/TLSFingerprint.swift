import Foundation
import Crypto

/// The SHA-256 of a certificate's DER bytes, written `sha256:<64 lowercase hex>`: how a replica pins
/// its hub. A pin names one certificate exactly, so it is trusted whatever its validity dates or
/// host names say (a laptop whose clock is years off still syncs).
public struct TLSFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    /// The fingerprint of a DER-encoded certificate.
    public init(derBytes: some Sequence<UInt8>) {
        hex = SHA256.hash(data: Array(derBytes)).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// Parses `sha256:HEX`; the hex may be upper case and its bytes separated by `:` (as `openssl
    /// x509 -fingerprint -sha256` prints them).
    public init(parsing text: String) throws(TLSError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("sha256:") else { throw .invalidFingerprint(text) }
        let digits = trimmed.dropFirst("sha256:".count).filter { $0 != ":" }.lowercased()
        guard digits.count == 64, digits.allSatisfy(\.isHexDigit) else { throw .invalidFingerprint(text) }
        hex = digits
    }

    public var description: String { "sha256:" + hex }
}
