import ArgumentParser
import Foundation
import LeadSyncNetwork
import LeadSyncStore
import Logging
import NIOCore

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with the hub: push local operations, then pull the others'.",
        discussion: """
            Uses the hub address, token and TLS trust stored by 'leadsync init' or 'leadsync config \
            set hub|token|fingerprint' unless given here. The hub's certificate must match the pinned \
            fingerprint (or be issued by a CA in --ca-file for the hub's host name); otherwise \
            nothing is sent, not even the token. An interrupted sync loses nothing: run it again. \
            Capture keeps working offline.

            Exit status: 0 synced; 69 hub unreachable and 75 temporary failure (busy, shutting \
            down, connection lost): retry later; 77 token refused or node revoked: get a new \
            token, then 'leadsync config set token -'; 78 no hub or token configured; 74 the local \
            disk is full or the replica damaged. The error line says whether retrying helps.

            Example:
              leadsync sync || case $? in 69|75) echo "retry later" ;; *) echo "fix first" ;; esac
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The hub's address (default: the one stored at init).", valueName: "host:port"))
    var hub: String?

    @OptionGroup var transportOptions: TransportOptions

    @Option(help: "Seconds to wait for the connection (and again for the TLS handshake).")
    var connectTimeout = 10.0

    func run() async throws {
        let store = try home.openStore()
        guard let address = try hub ?? store.setting("hub") else { throw SyncError.noHubConfigured }
        guard let token = try store.setting("token"), !token.isEmpty else { throw SyncError.noTokenConfigured }
        let (host, port) = try SyncConfiguration.parseAddress(address)
        guard let transport = try transportOptions.transport() ?? TransportOptions.stored(in: store) else {
            throw SyncError.noTrustConfigured
        }
        let configuration = SyncConfiguration(
            host: host, port: port, token: token, transport: transport,
            connectTimeout: .milliseconds(Int64(connectTimeout * 1000)),
            client: "leadsync \(LeadSync.configuration.version)")
        let showProgress = !output.json && isatty(STDERR_FILENO) == 1
        let summary = try await SyncClient(store: store, configuration: configuration).sync { progress in
            guard showProgress else { return }
            let line = progress.phase == .finished
                ? "\r\u{1B}[K"
                : "\r\u{1B}[K\(progress.phase.rawValue): sent \(progress.sent), received \(progress.received)"
            FileHandle.standardError.write(Data(line.utf8))
        }
        if summary.skewIsLarge {
            FileHandle.standardError.write(Data("""
                warning: this machine's clock differs from the hub's by \(formatSkew(summary.skewMillis)); \
                fix the system time (ties between concurrent edits are decided by it)

                """.utf8))
        }
        if output.json {
            try JSONOutput.print(summary)
        } else {
            let conflicts = summary.conflicts == 1 ? "1 open conflict" : "\(summary.conflicts) open conflicts"
            let seconds = String(format: "%.2f", Double(summary.durationMillis) / 1000)
            print("synced with \(summary.hub) at \(address): sent \(summary.sent), received \(summary.received), \(conflicts), \(seconds)s")
        }
    }
}
