import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A replica home driven through the built `leadsync` binary, registered on an in-process hub.
struct CLIReplica: Sendable {
    let directory: TemporaryDirectory
    let node: String

    init(hub: TestHub, node: String) async throws {
        let directory = try TemporaryDirectory("replica-\(node)")
        self.directory = directory
        self.node = node
        let arguments = try hub.initArguments(for: node)
        let result = try await onDedicatedThread { try LeadSyncBinary.run(arguments, home: directory.path) }
        guard result.succeeded else { throw CLIFailure(message: "init \(node): \(result.stderr)") }
    }

    var path: String { directory.path }

    /// Runs a command that must succeed; returns its standard output. The subprocess is waited
    /// for on a dedicated thread, so expectations stay in the test's task (and attributed to it).
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let home = path
        let result = try await onDedicatedThread { try LeadSyncBinary.run(arguments, home: home) }
        try #require(
            result.succeeded, "\(node): leadsync \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            sourceLocation: sourceLocation)
        return result.stdout
    }

    func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try await ok(arguments + ["--json"], sourceLocation: sourceLocation).utf8))
    }

    func object(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try #require(try await json(arguments, sourceLocation: sourceLocation) as? [String: Any], sourceLocation: sourceLocation)
    }

    func add(_ arguments: [String]) async throws -> String {
        try await ok(["add"] + arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func sync(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await ok(["sync"], sourceLocation: sourceLocation)
    }

    /// Ids `list --json` shows (live leads).
    func listed() async throws -> [String] {
        try #require(try await json(["list"]) as? [[String: Any]]).compactMap { $0["id"] as? String }
    }

    func clock() async throws -> [String: Int] {
        try #require(try await object(["status"])["clock"] as? [String: Int])
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Every byte of the SQLite files (`*.sqlite`, `-wal`, `-shm`) in a directory.
func databaseFileBytes(in directory: String) throws -> Data {
    var data = Data()
    for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    where name.hasSuffix(".sqlite") || name.hasSuffix(".sqlite-wal") || name.hasSuffix(".sqlite-shm") {
        data.append(try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
    }
    return data
}

/// Which of `secrets` occur in the database files of `directory`.
func secretsFound(_ secrets: [String], in directory: String) throws -> [String] {
    let bytes = try databaseFileBytes(in: directory)
    return secrets.filter { bytes.range(of: Data($0.utf8)) != nil }
}

/// Lead management across replicas: the same visitor captured twice and merged, and GDPR erasure,
/// through the built binary and a real hub on loopback.
@Suite(.serialized) struct LeadDataSyncTests {
    @Test(.timeLimit(.minutes(6))) func sameVisitorCapturedByTwoRepsIsMergedOnEveryReplica() async throws {
        try await withTestHub(transport: .tls) { hub in
            let anna = try await CLIReplica(hub: hub, node: "anna")
            let ben = try await CLIReplica(hub: hub, node: "ben")
            let (kept, duplicate) = try await Self.captureTwiceAndMerge(anna, ben)
            #expect(try hub.store.lead(RecordID(validating: duplicate))?.mergedInto?.rawValue == kept)
            #expect(try hub.store.leads().map(\.id.rawValue) == [kept])
        }
    }

    static func captureTwiceAndMerge(_ anna: CLIReplica, _ ben: CLIReplica) async throws -> (String, String) {
        // At the fair, both reps meet the same visitor, offline; the e-mail differs in case.
        let annas = try await anna.add([
            "--first-name", "Jana", "--last-name", "Kowalski", "--email", "Jana.Kowalski@acme.example",
            "--company", "Acme GmbH", "--event", "EuroShop 2026", "--source", "badge_scan",
        ])
        try await anna.ok(["log", annas, "--type", "booth_visit", "--text", "anna: scanned the badge", "--at", "2026-02-24 10:00"])
        let bens = try await ben.add([
            "--first-name", "Jana", "--last-name", "Kowalski", "--email", "jana.kowalski@acme.example",
            "--phone", "+49 30 1234567", "--title", "CTO", "--tag", "demo",
        ])
        try await ben.ok(["log", bens, "--type", "conversation", "--text", "ben: talked about pricing", "--at", "2026-02-24 15:00"])
        for replica in [anna, ben, anna] { try await replica.sync() }

        let pair: [String: Any] = ["first": min(annas, bens), "second": max(annas, bens), "reasons": ["same_email"]]
        for replica in [anna, ben] {
            let pairs = try #require(try await replica.json(["duplicates"]) as? [[String: Any]])
            #expect(pairs.count == 1, "\(replica.node)")
            #expect(NSDictionary(dictionary: pairs.first ?? [:]).isEqual(to: pair), "\(replica.node): \(pairs)")
            #expect(Set(try await replica.listed()) == [annas, bens])
        }

        // Anna merges; Ben, who has not synced yet, logs a call on his copy.
        let merged = try await anna.object(["merge", annas, bens])
        #expect(merged["filled_fields"] as? [String] == ["job_title", "phone"])
        #expect(merged["added_tags"] as? [String] == ["demo"])
        try await ben.ok(["log", bens, "--type", "call", "--text", "ben: called back after the fair", "--at", "2026-03-02 09:00"])
        for replica in [anna, ben, anna] { try await replica.sync() }

        var timelines: [[String]] = []
        for replica in [anna, ben] {
            #expect(try await replica.listed() == [annas], "\(replica.node): one lead")
            let detail = try await replica.object(["show", annas])
            let fields = try #require(detail["fields"] as? [String: String])
            #expect(fields["phone"] == "+49301234567" && fields["job_title"] == "CTO" && fields["company"] == "Acme GmbH")
            #expect(detail["tags"] as? [String] == ["demo"])
            let timeline = try #require(detail["timeline"] as? [[String: Any]])
            let texts = timeline.compactMap { $0["text"] as? String }
            #expect(texts == ["anna: scanned the badge", "ben: talked about pricing", "ben: called back after the fair"])
            #expect(timeline.map { $0["merged_from"] as? String } == [nil, bens, bens])
            #expect(timeline.map { $0["node"] as? String } == ["anna", "ben", "ben"])
            let duplicates = try #require(detail["merged_duplicates"] as? [[String: Any]])
            #expect(duplicates.map { $0["id"] as? String } == [bens])
            #expect(duplicates.first?["edited_after_merge"] as? Bool == true, "Ben's later call is flagged for review")
            #expect(try await replica.object(["show", bens])["merged_into"] as? String == annas)
            timelines.append(texts)
            #expect(try await replica.ok(["list", "--merged"]).contains("MERGED INTO"))
        }
        #expect(timelines.count == 2 && timelines[0] == timelines[1])
        #expect(try await anna.clock() == (try await ben.clock()))
        return (annas, bens)
    }

    @Test(.timeLimit(.minutes(6))) func erasureLeavesNoBytesAnywhereAndOlderOpsDoNotBringTheLeadBack() async throws {
        try await withTestHub(transport: .tls) { hub in
            let anna = try await CLIReplica(hub: hub, node: "anna")
            let ben = try await CLIReplica(hub: hub, node: "ben")
            let carl = try await CLIReplica(hub: hub, node: "carl")
            let hubPath = hub.directory.path
            let id = try await Self.eraseEverywhere(anna, ben, carl, hubPath: hubPath)
            let record = try RecordID(validating: id)
            #expect(try hub.store.lead(record)?.erased == true)
            let ops = try hub.store.operations(missingFrom: VectorClock()).filter { $0.record == record }
            #expect(ops.count == 7, "create, note, consent, ben's set, the erase, carl's note and set")
            #expect(ops.allSatisfy { $0.change == .redacted || $0.change == .erase }, "\(ops.map(\.change.action))")
            #expect(ops.filter { $0.change == .erase }.count == 1)
        }
    }

    static func eraseEverywhere(_ anna: CLIReplica, _ ben: CLIReplica, _ carl: CLIReplica, hubPath: String) async throws -> String {
        let email = "Quirin.Vonerasenstein@zz-erase.example"
        let id = try await anna.add([
            "--first-name", "Quirin", "--last-name", "Vonerasenstein", "--email", email, "--company", "Erasure Werke AG",
            "--note", "secret-note-quokka",
        ])
        try await anna.ok(["consent", id, "--channel", "email", "--granted", "--how", "signed-form-pangolin"])
        let bystander = try await anna.add(["--last-name", "Bystander", "--company", "Stays Here GmbH"])
        for replica in [anna, ben, carl] { try await replica.sync() }
        try await ben.ok(["set", id, "job_title=ben-title-platypus"])
        try await ben.sync()
        // Carl edits the lead offline and syncs only after the erasure.
        try await carl.ok(["note", id, "carl-remark-axolotl"])
        try await carl.ok(["set", id, "city=Carlcity-Narwhal"])

        let earlySecrets = [email, email.lowercased(), "Vonerasenstein", "secret-note-quokka", "signed-form-pangolin", "ben-title-platypus"]
        let carlSecrets = ["carl-remark-axolotl", "Carlcity-Narwhal"]
        #expect(try secretsFound(["Vonerasenstein", "ben-title-platypus"], in: hubPath) == ["Vonerasenstein", "ben-title-platypus"],
                "the byte scan sees the data before the erasure")

        try await anna.ok(["erase", id, "--yes"])
        try await anna.sync()
        try await ben.sync()
        for (name, path) in [("hub", hubPath), ("anna", anna.path), ("ben", ben.path)] {
            #expect(try secretsFound(earlySecrets, in: path).isEmpty, "\(name) still holds erased data")
        }
        #expect(try secretsFound(carlSecrets, in: carl.path) == carlSecrets, "carl has not synced yet")

        // Carl's older operations arrive after the erasure: dropped on the hub, and carl erases too.
        try await carl.sync()
        try await anna.sync()
        try await ben.sync()
        for (name, path) in [("hub", hubPath), ("anna", anna.path), ("ben", ben.path), ("carl", carl.path)] {
            #expect(try secretsFound(earlySecrets + carlSecrets, in: path).isEmpty, "\(name) still holds erased data")
            #expect(try secretsFound(["Stays Here GmbH"], in: path) == ["Stays Here GmbH"], "\(name) lost an unrelated lead")
        }
        for replica in [anna, ben, carl] {
            let detail = try await replica.object(["show", id])
            #expect(detail["erased"] as? Bool == true, "\(replica.node)")
            #expect((detail["fields"] as? [String: String])?.isEmpty == true, "\(replica.node)")
            #expect((detail["timeline"] as? [Any])?.isEmpty == true, "\(replica.node)")
            #expect(try await replica.ok(["show", id]).contains("was erased (GDPR)"))
            #expect(try await replica.listed() == [bystander])
        }
        #expect(try await anna.clock() == (try await ben.clock()))
        #expect(try await ben.clock() == (try await carl.clock()))
        return id
    }
}
