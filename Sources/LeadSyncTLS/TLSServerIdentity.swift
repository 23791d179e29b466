import Foundation
import NIOSSL

/// The certificate chain and key a hub serves TLS with, checked and ready to serve.
public struct TLSServerIdentity: Sendable {
    /// The fingerprint of the leaf certificate: what replicas pin.
    public let fingerprint: TLSFingerprint
    /// Where the certificate chain was read from, for logs and messages.
    public let certificatePath: String
    /// The server configuration the context was made from, for servers that build their own
    /// contexts (the admin HTTP server).
    public let configuration: TLSConfiguration
    let context: NIOSSLContext

    /// Reads a PEM certificate chain (leaf first) and its PEM private key, and checks that they
    /// can serve TLS together.
    public init(certificatePath: String, keyPath: String) throws(TLSError) {
        let chain = try Self.certificates(at: certificatePath)
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(try Self.read(keyPath).utf8), format: .pem)
        } catch let error as TLSError {
            throw error
        } catch {
            throw .invalidKey(path: keyPath, reason: "\(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        self.configuration = configuration
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .unusableIdentity(certificate: certificatePath, key: keyPath, reason: "\(error)")
        }
        do {
            fingerprint = TLSFingerprint(derBytes: try chain[0].toDERBytes())
        } catch {
            throw .invalidCertificate(path: certificatePath, reason: "\(error)")
        }
        self.certificatePath = certificatePath
    }

    /// A server handler for one accepted connection.
    public func makeHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context)
    }

    /// The fingerprint of the first certificate in a PEM file.
    public static func fingerprint(ofCertificateAt path: String) throws(TLSError) -> TLSFingerprint {
        do {
            return TLSFingerprint(derBytes: try certificates(at: path)[0].toDERBytes())
        } catch let error as TLSError {
            throw error
        } catch {
            throw .invalidCertificate(path: path, reason: "\(error)")
        }
    }

    /// The certificates of a PEM file; at least one.
    static func certificates(at path: String) throws(TLSError) -> [NIOSSLCertificate] {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(try read(path).utf8))
        } catch let error as TLSError {
            throw error
        } catch {
            throw .invalidCertificate(path: path, reason: "\(error)")
        }
        guard !chain.isEmpty else { throw .invalidCertificate(path: path, reason: "no certificate found") }
        return chain
    }

    static func read(_ path: String) throws(TLSError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
