import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncStore

struct HubInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a hub in --home, with its own TLS certificate.",
        discussion: """
            Makes hub.sqlite, nodes.sqlite and a self-signed P-256 certificate (tls-cert.pem) with \
            its key (tls-key.pem, mode 0600) for localhost, 127.0.0.1, ::1 and this machine's host \
            name, and prints the certificate's SHA-256 fingerprint: replicas pin it \
            ('leadsync hub add-node' prints the line to paste). To serve a certificate from your own \
            CA instead, run 'hub serve --tls-cert FILE --tls-key FILE'.

            With --database postgresql://USER@HOST:PORT/DATABASE, creates the hub's tables in that \
            (existing, empty) PostgreSQL database instead and prints the hub id; every 'hub serve \
            --database' process then serves it. With --certificate-dir DIR it also makes the \
            certificate and key there (tls-cert.pem, tls-key.pem) for those processes to share \
            with --tls-cert/--tls-key. See Docs/operating-a-hub.md.
            """)

    @OptionGroup var home: HubHomeOptions

    @Option(help: ArgumentHelp(
        "With --database: make a self-signed certificate and key in this directory for 'hub serve --tls-cert/--tls-key'.",
        valueName: "dir"))
    var certificateDir: String?

    func run() async throws {
        let location = try home.location
        guard certificateDir == nil || location.home == nil else {
            throw CLIError("--certificate-dir goes with --database (a hub home keeps its certificate)")
        }
        // The certificate first: a directory that cannot hold it leaves the database untouched.
        let madeCertificate = try certificateDir.map { directory in
            let certificates = HubHome(directory: URL(fileURLWithPath: directory))
            try PrivateFiles.createDirectory(certificates.directory)
            return (certificates, try certificates.ensureCertificate().fingerprint)
        }
        let id = try await location.initialize()
        let certificate = try madeCertificate ?? location.home.map { hub in (hub, try hub.ensureCertificate().fingerprint) }
        print("initialised hub \(id) in \(location.description)")
        if let (hub, fingerprint) = certificate {
            print("TLS certificate \(hub.certificatePath), fingerprint \(fingerprint)")
        }
    }
}
