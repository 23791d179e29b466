import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncHubSQLite

struct HubInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a hub in --home, with its own TLS certificate.",
        discussion: """
            Makes hub.sqlite, nodes.sqlite and a self-signed P-256 certificate (tls-cert.pem) with \
            its key (tls-key.pem, mode 0600) for localhost, 127.0.0.1, ::1 and this machine's host \
            name, and prints the certificate's SHA-256 fingerprint: replicas pin it \
            ('leadsync hub add-node' prints the line to paste). To serve a certificate from your own \
            CA instead, run 'hub serve --tls-cert FILE --tls-key FILE'.
            """)

    @OptionGroup var home: HubHomeOptions

    func run() async throws {
        let location = home.location
        let id = try location.initialize()
        let certificate = try location.home.map { hub in (hub, try hub.ensureCertificate().fingerprint) }
        print("initialised hub \(id) in \(location.description)")
        if let (hub, fingerprint) = certificate {
            print("TLS certificate \(hub.certificatePath), fingerprint \(fingerprint)")
        }
    }
}
