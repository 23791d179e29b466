import ArgumentParser
import Foundation
import LeadSyncHub
import LeadSyncStore

struct HubBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a consistent snapshot of the hub into a new directory, while it serves.",
        discussion: """
            DEST gets hub.sqlite (every replica's operations and the rules), nodes.sqlite (nodes, \
            token hashes, admin tokens), the hub's certificate and key (tls-cert.pem, tls-key.pem, \
            mode 0600) and backup.json. Each database is copied in one read transaction with \
            SQLite's online backup: syncs go on meanwhile, and every operation the hub had \
            acknowledged when the command started is in the copy. DEST holds the hub's private key \
            and every lead: keep it as private as the hub home. Bring it back with 'leadsync hub \
            restore DEST' (see its --help and Docs/operating-a-hub.md).

            Example:
              leadsync hub backup /var/backups/leadsync/$(date +%F)
            """)

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A new (or empty) directory for the backup.", valueName: "dest"))
    var destination: String

    func run() async throws {
        let hub = try home.existingHub()
        let target = URL(fileURLWithPath: destination).standardizedFileURL
        let manifest = try HubBackup.create(from: hub, to: target, now: Store.systemMillis())
        if output.json {
            try JSONOutput.print(BackupJSON(destination: target.path, manifest: manifest))
            return
        }
        print("""
            backed up hub \(manifest.hub) to \(target.path): \(Formatting.count(manifest.operations, "operation")), \
            \(Formatting.count(manifest.nodes, "node")), \(Formatting.count(manifest.adminTokens, "admin token"))\
            \(manifest.certificate ? ", certificate and key" : " (no certificate in the home)")
            """)
    }
}

/// `hub backup --json`: the manifest and where it went.
struct BackupJSON: Encodable {
    let destination: String
    let manifest: HubBackup.Manifest

    enum CodingKeys: String, CodingKey {
        case destination, hub, operations, clock, nodes, certificate
        case createdAt = "created_at"
        case adminTokens = "admin_tokens"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(destination, forKey: .destination)
        try container.encode(manifest.hub, forKey: .hub)
        try container.encode(manifest.operations, forKey: .operations)
        try container.encode(manifest.clock, forKey: .clock)
        try container.encode(manifest.nodes, forKey: .nodes)
        try container.encode(manifest.certificate, forKey: .certificate)
        try container.encode(manifest.createdAt, forKey: .createdAt)
        try container.encode(manifest.adminTokens, forKey: .adminTokens)
    }
}
