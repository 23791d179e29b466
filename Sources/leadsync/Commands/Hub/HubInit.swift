import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncStore
import LeadSyncTLS

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
        if let location = try home.postgresLocation() {
            // The certificate first: a directory that cannot hold it leaves the database untouched.
            var certificate: (path: String, fingerprint: String)?
            if let certificateDir {
                let certificates = HubHome(directory: URL(fileURLWithPath: certificateDir))
                try PrivateFiles.createDirectory(certificates.directory)
                let (fingerprint, _) = try certificates.ensureCertificate()
                certificate = (certificates.certificatePath, fingerprint.description)
            }
            let store = try await PostgresHubStore.initialize(location)
            let id = try await store.hubID()
            await store.close()
            print("initialised hub \(id) in \(location)")
            if let certificate { print("TLS certificate \(certificate.path), fingerprint \(certificate.fingerprint)") }
            return
        }
        guard certificateDir == nil else { throw CLIError("--certificate-dir goes with --database (a hub home keeps its certificate)") }
        let hub = try HubHome.initialize(at: home.directory)
        let id = try hub.openRegistry().hubID()
        let (fingerprint, _) = try hub.ensureCertificate()
        print("initialised hub \(id) in \(hub.directory.path)")
        print("TLS certificate \(hub.certificatePath), fingerprint \(fingerprint)")
    }
}
