import Foundation
import LeadSyncCore
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Captures real sessions (both directions) and validates every line against Protocol/schemas with
/// `Scripts/validate-traffic.py` (python3 + jsonschema), so the schemas and the code cannot drift.
@Suite struct TrafficSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func realSessionsMatchTheSchemas() async throws {
        let capture = TrafficCapture()
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            let id = try anna.store.add(fields: ["first_name": "Jürgen", "email": "j@example.com", "x_booth": "B7"], tags: ["fair"])
            try anna.store.commit(.set([.standard(.city): "Köln", .standard(.phone): ""]), to: id)
            try anna.store.commit(.stage(.mql), to: id)
            try anna.store.commit(.tag(["vip", "hot"]), to: id)
            try anna.store.commit(.untag(["hot"]), to: id)
            try anna.store.commit(.note("Asked for a demo \"next week\"\nsecond line"), to: id)
            try anna.store.commit(.delete, to: id)
            try anna.store.commit(.restore, to: id)
            try ben.addLeads(3)
            _ = try await hub.client(for: anna, traffic: capture.record).sync()
            _ = try await hub.client(for: ben, traffic: capture.record).sync()
            try ben.store.commit(.set([.standard(.company): "Beta GmbH"]), to: id)
            _ = try await hub.client(for: ben, traffic: capture.record).sync()
            _ = try await hub.client(for: anna, traffic: capture.record).sync()
            // A refused session: the error line is traffic too.
            _ = try? await hub.client(for: anna.with(token: "wrong"), traffic: capture.record).sync()
        }
        let lines = capture.lines
        // Debugging aid: keep the capture (Protocol/example-session.md was made from one).
        if let dump = ProcessInfo.processInfo.environment["LEADSYNC_TRAFFIC_DUMP"] {
            try (lines.joined(separator: "\n") + "\n").write(toFile: dump, atomically: true, encoding: .utf8)
        }
        // Lines carry a direction prefix ("C> " or "H> ") before the JSON.
        let types = Set(lines.compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(3).utf8)) as? [String: Any]
            return object?["type"] as? String
        })
        #expect(types == ["hello", "welcome", "ops", "ack", "done", "error"])
        let result = try await onDedicatedThread { try Self.validate(lines) }
        #expect(result.status == 0, "schema violations:\n\(result.output)")
    }

    @Test func validatorRejectsViolations() async throws {
        let result = try await onDedicatedThread { try Self.validate([
            #"C> {"type":"hello","protocol":1,"node":"Anna","actor":"anna","token":"t","clock":{},"wall":1}"#,
            #"H> {"type":"ops","ops":[{"origin":"a~1","seq":1,"hlc":[1],"record":"x","action":"create"}]}"#,
        ]) }
        #expect(result.status == 1)
        #expect(result.output.contains("violations"))
    }

    static func validate(_ lines: [String]) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory("traffic")
        let file = directory.appending("traffic.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.root.appendingPathComponent("Scripts/validate-traffic.py").path,
            "--schemas", Self.root.appendingPathComponent("Protocol/schemas").path, file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Collects captured lines with their direction prefix, from whatever thread the client reports on.
final class TrafficCapture: Sendable {
    private let storage = LockedLines()

    var record: @Sendable (TrafficDirection, String) -> Void {
        { [storage] direction, line in storage.append((direction == .sent ? "C> " : "H> ") + line) }
    }

    var lines: [String] { storage.all }
}

private final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
