import Foundation
import LeadSyncRules
import Testing

/// Keeps Docs/lead-management.md honest: its examples must parse and behave as it says.
@Suite("Docs/lead-management.md")
struct RulesFormatDocTests {
    /// The fenced blocks of the document, in order.
    static func codeBlocks() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docs/lead-management.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element.drop { $0 != "\n" }.dropFirst())
        }
    }

    @Test func exampleParsesAndRoutes() throws {
        let example = try #require(Self.codeBlocks().first)
        let rules = try RulesFile.parse(example, name: "lead-management.md")
        #expect(rules.route(LeadFacts(id: "x", fields: ["country": "AT", "postal_code": "6020"]))?.owner == "team-sued@example.com")
        let lead = LeadFacts(id: "x", fields: ["country": "DE", "job_title": "Einkauf", "email": "a@b.de"])
        #expect(rules.score(lead, now: 0).total == 15 + 5 + 20)
    }

    @Test func builtInRulesAreDocumented() throws {
        let documented = try Self.codeBlocks().first { $0.hasPrefix("threshold warm 30\nthreshold hot 60") }
        #expect(documented == Rules.default.text)
    }
}
