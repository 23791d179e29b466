import Foundation
import LeadSyncTestSupport
import Testing

/// The README's five-minute tour, run as written: the fenced `sh` block of "A five-minute tour"
/// that follows the build block, in bash, with the built `leadsync` first on the PATH and a fresh
/// temporary directory; every command must exit 0.
@Suite struct ReadmeTourTests {
    @Test(.timeLimit(.minutes(3))) func theTourRunsAsWritten() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try #require(Self.tourBlock(readme), "README.md has no tour block under '## A five-minute tour'")
        #expect(tour.contains("leadsync init"))

        let scratch = try TemporaryDirectory("tour")
        let script = scratch.appending("tour.sh")
        // -e: the first failing command ends the tour; pipefail: a failing leadsync in a pipe too.
        try ("set -euo pipefail\n" + tour).write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-x", script.path]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LEADSYNC_HOME")
        environment["PATH"] = LeadSyncBinary.url.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["TMPDIR"] = scratch.path
        process.environment = environment
        process.currentDirectoryURL = scratch.url
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the tour stopped (the last '+' line is the failing command):\n\(text.suffix(3000))")
        #expect(text.contains("Captured "), "capture printed its summary")
    }

    /// The first `sh` block under the tour heading that does not build the package.
    static func tourBlock(_ readme: String) -> String? {
        guard let heading = readme.range(of: "## A five-minute tour") else { return nil }
        var rest = readme[heading.upperBound...]
        if let next = rest.range(of: "\n## ") { rest = rest[..<next.lowerBound] }
        for block in rest.components(separatedBy: "```sh\n").dropFirst() {
            guard let end = block.range(of: "\n```") else { continue }
            let body = String(block[..<end.lowerBound])
            if !body.contains("swift build") { return body + "\n" }
        }
        return nil
    }
}
