import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A replica made with `leadsync init` from an invitation, then filled through the store in one
/// transaction: `leads` leads, each captured, then given a city, a tag and a note (4 operations).
enum BulkReplica {
    @discardableResult
    static func make(_ invitation: NodeInvitation, home: URL, leads: Int, seed: UInt64 = 7) throws -> Int {
        let made = try LeadSyncBinary.run(invitation.initArguments(port: 1) + ["--home", home.path])
        try #require(made.succeeded, "leadsync init: \(made.stderr)")
        guard leads > 0 else { return 0 }
        let store = try Store.open(path: home.appendingPathComponent("replica.sqlite").path)
        var generator = SeededGenerator(seed: seed)
        try store.editing { editor in
            for index in 0..<leads {
                let id = RecordID.random(using: &generator)
                let create = try Store.createChange(
                    fields: ["first_name": "Kunde", "last_name": "Nr. \(index)", "company": "Firma \(index % 97) GmbH"],
                    stage: .lead, tags: [])
                try editor.commit(create, to: id)
                try editor.commit(.set([.standard(.city): "Leipzig"]), to: id)
                try editor.commit(.tag(["messe"]), to: id)
                try editor.commit(.note("Gespräch am Stand \(index % 40)"), to: id)
            }
        }
        return try store.counts().operations
    }

    /// `leadsync sync --json` against the hub on `port`, started without waiting.
    static func startSync(home: URL, port: Int, stdout: Pipe, stderr: Pipe) throws -> Process {
        try LeadSyncBinary.start(
            ["sync", "--json", "--home", home.path, "--hub", "127.0.0.1:\(port)"], stdout: stdout, stderr: stderr)
    }

    /// `leadsync sync --json` against the hub on `port`, to the end.
    static func sync(home: URL, port: Int) throws -> CommandResult {
        try LeadSyncBinary.run(["sync", "--json", "--home", home.path, "--hub", "127.0.0.1:\(port)"])
    }
}
