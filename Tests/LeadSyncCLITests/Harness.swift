import Foundation
import LeadSyncTestSupport
import Testing

/// A replica home in a fresh temporary directory, driven through the built `leadsync` binary
/// with `$LEADSYNC_HOME` pointing at it.
struct Home {
    let directory: TemporaryDirectory

    /// A new home; initialised as `node` unless `node` is nil.
    init(node: String? = "anna") throws {
        directory = try TemporaryDirectory("leadsync-cli")
        if let node { try ok(["init", "--node", node]) }
    }

    var path: String { directory.path }
    var databasePath: String { directory.appending("replica.sqlite").path }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> CommandResult {
        try LeadSyncBinary.run(arguments, home: path, input: input)
    }

    /// Runs a command that must succeed quietly on stderr; returns its standard output.
    @discardableResult
    func ok(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, input: input)
        try #require(
            result.status == 0, "leadsync \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "unexpected stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs a command with `--json` and decodes its output.
    func json<T: Decodable>(
        _ type: T.Type, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> T {
        let output = try ok(arguments + ["--json"], sourceLocation: sourceLocation)
        return try JSONDecoder().decode(T.self, from: Data(output.utf8))
    }

    /// `leadsync add …`; returns the printed id.
    func add(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try ok(["add"] + arguments, sourceLocation: sourceLocation).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `leadsync add …` of a lead whose email is already known: it succeeds with a warning naming
    /// the known lead; returns the printed id.
    func addKnownEmail(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(["add"] + arguments)
        try #require(result.status == 0, "leadsync add failed: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("warning: lead ") && result.stderr.contains("has the same email"), sourceLocation: sourceLocation)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Everything a script can see of the replica: all leads (deleted too) and the status.
    func snapshot() throws -> String {
        try ok(["list", "--deleted", "--json"]) + ok(["status", "--json"])
    }
}

// Decodable mirrors of the documented JSON output (Docs/cli-json.md).

struct LeadOut: Decodable, Equatable {
    let id: String
    let fields: [String: String]
    let stage: String
    let tags: [String]
    let deleted: Bool
    let createdAt: String
    let createdBy: String
    let updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, fields, stage, tags, deleted
        case createdAt = "created_at", createdBy = "created_by", updatedAt = "updated_at"
    }
}

struct NoteOut: Decodable, Equatable {
    let at: String
    let by: String
    let type: String
    let text: String
}

struct ConflictOut: Decodable, Equatable {
    struct Side: Decodable, Equatable {
        let value: String
        let writer: String
        let node: String
        let seq: UInt64
        let at: String
    }

    let lead: String
    let field: String
    let winner: Side
    let loser: Side
}

/// `show --json`: a lead object plus `notes` and `conflicts`.
struct DetailOut: Decodable {
    let lead: LeadOut
    let notes: [NoteOut]
    let conflicts: [ConflictOut]

    init(from decoder: any Decoder) throws {
        lead = try LeadOut(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notes = try container.decode([NoteOut].self, forKey: .notes)
        conflicts = try container.decode([ConflictOut].self, forKey: .conflicts)
    }

    enum CodingKeys: String, CodingKey { case notes, conflicts }
}

struct EditOut: Decodable {
    let id: String
    let operations: Int
}

struct StatusOut: Decodable {
    let home: String
    let node: String
    let actor: String
    let clock: [String: UInt64]
    let leads: Int
    let deleted: Int
    let operations: Int
    let openConflicts: Int
    let hub: String?

    enum CodingKeys: String, CodingKey {
        case home, node, actor, clock, leads, deleted, operations, hub
        case openConflicts = "open_conflicts"
    }
}

/// Parses the ISO-8601 UTC times the CLI prints (with milliseconds).
func parseTime(_ text: String) -> Date? {
    try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
}
