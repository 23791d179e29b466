import Crypto
import Foundation

/// Node tokens: 32 random bytes shown once as base64url; the registry keeps only their SHA-256.
public enum NodeToken {
    /// A fresh token from the system's secure random source. It never starts with `-`: a command
    /// line would read `--token -Abc…` as an option (one token in 64 did, before this rule).
    public static func generate() -> String {
        var token: String
        repeat {
            let key = SymmetricKey(size: .bits256)
            token = key.withUnsafeBytes { Data($0) }.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        } while token.hasPrefix("-")
        return token
    }

    /// The stored form of a token: lower-case hex SHA-256 of its UTF-8 bytes.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }

    /// Compares two hashes in time independent of where they differ.
    public static func matches(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
