import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncTestSupport
import Testing

/// The status page in a real headless Chromium (Scripts/admin-page-browser.py over the DevTools
/// protocol): it signs in through the page's form, then the rendered DOM lists all 50 nodes, the
/// "not synced for more than 24 hours" filter shows exactly the 10 stale ones, and screenshots land
/// in .build/test-output/admin-page/.
@Suite struct AdminPageBrowserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(.timeLimit(.minutes(6))) func pageListsTheFleetAndFiltersStaleNodes() async throws {
        try await onDedicatedThread { try Self.pageListsTheFleetAndFiltersStaleNodes() }
    }

    static func pageListsTheFleetAndFiltersStaleNodes() throws {
        let names = (0..<50).map { String(format: "rep%02d", $0) }
        let stale = Set(names.filter { Int($0.dropFirst(3))! % 5 == 0 })
        #expect(stale.count == 10)
        var adminToken = ""
        let hub = try AdminTestHub("admin-page") { home in
            let registry = try NodeRegistry.open(path: home + "/nodes.sqlite")
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for (index, name) in names.enumerated() {
                let node = try NodeID(validating: name)
                _ = try registry.addNode(node)
                // Stale: 25 to 34 hours ago (one never synced); fresh: within the last 5 hours.
                let hours = stale.contains(name) ? 25 + index / 5 : index % 5
                try registry.setLastSync(node: node, at: name == "rep45" ? nil : now - Int64(hours) * 3_600_000)
            }
            adminToken = try AdminTestHub.run(["hub", "admin-token", "create", "ops", "--home", home])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let output = packageRoot.appendingPathComponent(".build/test-output/admin-page")
        try? FileManager.default.removeItem(at: output)
        let browser = try runBrowser(
            base: hub.base, output: output, token: adminToken, pages: ["all=/", "stale=/?stale_hours=24", "node=/nodes/rep07"])
        try #require(browser.status == 0, "admin-page-browser.py: \(browser.output)")

        let all = try String(contentsOf: output.appendingPathComponent("all.html"), encoding: .utf8)
        #expect(rows(all) == names, "every node, sorted by name")
        #expect(!all.contains("action=\"/signin\""), "signed in through the form")
        let filtered = try String(contentsOf: output.appendingPathComponent("stale.html"), encoding: .utf8)
        #expect(Set(rows(filtered)) == stale)
        #expect(rows(filtered).count == 10)
        // The inline script rewrote the UTC times in the viewer's zone: no ISO "Z" text remains in cells.
        #expect(all.contains("<time datetime=\""))
        #expect(!all.contains("Z</time>"), "times converted by the page's script")
        let node = try String(contentsOf: output.appendingPathComponent("node.html"), encoding: .utf8)
        #expect(node.contains("Node <code>rep07</code>"))
        for shot in ["all.png", "stale.png", "node.png"] {
            let data = try Data(contentsOf: output.appendingPathComponent(shot))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && data.count > 10_000, "\(shot): \(data.count) bytes")
        }
    }

    /// The node names of the table's rows, in page order.
    static func rows(_ html: String) -> [String] {
        html.components(separatedBy: "data-node=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    static func runBrowser(base: String, output: URL, token: String, pages: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("Scripts/admin-page-browser.py").path, base, output.path] + pages
        var environment = ProcessInfo.processInfo.environment
        environment["ADMIN_TOKEN"] = token
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
