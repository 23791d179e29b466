import Foundation
import LeadSyncCore
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Issue 13 end to end: a registered node pushes the largest clock the schema allows and one just
/// inside the hub's clock policy to a `hub serve` subprocess. The first is refused; after the
/// second, `hub rules set` still writes an operation every replica takes, a new replica pulls
/// everything, and replicas edit the hostile lead and sync on.
@Suite(.serialized) struct HostileHubCommandTests {
    static let rules = "threshold hot 50\npoints 10 company present\n"

    @Test(.timeLimit(.minutes(6))) func hubRulesSetNeverWritesWhatReplicasRefuse() async throws {
        let root = try TemporaryDirectory("hostile-e2e")
        let hubHome = root.appending("hub").path
        let (server, malloryToken, annaToken) = try await onDedicatedThread {
            _ = try Self.ok(["hub", "init", "--home", hubHome])
            let mallory = try Self.ok(["hub", "add-node", "mallory", "--home", hubHome]).trimmingCharacters(in: .whitespacesAndNewlines)
            let anna = try Self.ok(["hub", "add-node", "anna", "--home", hubHome]).trimmingCharacters(in: .whitespacesAndNewlines)
            return (try HubProcess(home: hubHome, arguments: ["--plaintext"]), mallory, anna)
        }
        defer { server.stop() }
        let record = "0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b"
        func push(_ wall: Int64, counter: Int) async throws -> String {
            let hello = #"{"type":"hello","protocol":1,"node":"mallory","actor":"mallory~m1","token":"\#(malloryToken)","clock":{},"wall":0}"#
            let op = #"{"origin":"mallory~m1","seq":1,"hlc":[\#(wall),\#(counter)],"record":"\#(record)","action":"create","fields":{"last_name":"Max"},"stage":"lead"}"#
            let exchange = try await RawLineClient.exchange(
                port: server.port, sending: [hello + "\n", #"{"type":"ops","ops":[\#(op)]}"# + "\n"], stopAfter: 2)
            return exchange.lines.last ?? ""
        }
        let largest = try await push(HLC.maxWallMillis, counter: 65_535)
        #expect(largest.contains(#""code":"clock_ahead""#), "\(largest)")
        let edge = try await push(Store.systemMillis() + ClockPolicy.defaultMaxAheadMillis - 60_000, counter: 65_535)
        #expect(edge.contains(#""type":"ack""#), "\(edge)")

        try await onDedicatedThread {
            let rulesFile = root.appending("rules.txt").path
            try Data(Self.rules.utf8).write(to: URL(fileURLWithPath: rulesFile))
            let nulFile = root.appending("nul.txt").path
            try Data((Self.rules + "# \u{0}\n").utf8).write(to: URL(fileURLWithPath: nulFile))
            let refused = try LeadSyncBinary.run(["hub", "rules", "set", nulFile, "--home", hubHome])
            #expect(!refused.succeeded && refused.stderr.contains("control character U+0000"), "\(refused.stderr)")
            _ = try Self.ok(["hub", "rules", "set", rulesFile, "--home", hubHome])

            let annaHome = root.appending("anna").path
            _ = try Self.ok([
                "init", "--node", "anna", "--hub", "127.0.0.1:\(server.port)", "--token", annaToken, "--plaintext", "--home", annaHome,
            ])
            _ = try Self.ok(["sync", "--home", annaHome])
            #expect(try Self.ok(["show", record, "--home", annaHome]).contains("Max"))
            _ = try Self.ok(["set", record, "city=Berlin", "--home", annaHome])
            _ = try Self.ok(["set", record, "city=Hamburg", "--home", annaHome])
            _ = try Self.ok(["sync", "--home", annaHome])
            let store = try Store.open(path: hubHome + "/hub.sqlite")
            #expect(try store.lead(RecordID(validating: record))?.fields["city"] == "Hamburg")
            #expect(try store.replicatedSetting("rules") == Self.rules)
        }
    }

    @discardableResult
    static func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try LeadSyncBinary.run(arguments)
        try #require(result.succeeded, "leadsync \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("warning"), "\(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }
}
