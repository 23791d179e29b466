import Foundation
import LeadSyncHubPostgres
import LeadSyncTestSupport
import Testing

/// `--database` URLs and where their password comes from; a password never shows in a
/// description, an error or a log line.
@Suite struct PostgresLocationTests {
    @Test func parsesTheURLAndHidesThePassword() throws {
        let location = try PostgresLocation(url: "postgresql://sales:s3cr%40t@db.example:6543/leads", environment: [:])
        #expect(location.user == "sales")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.database == "leads")
        #expect(location.password == "s3cr@t")
        #expect(location.description == "postgresql://sales@db.example:6543/leads")
        #expect(!"\(location)".contains("s3cr"))
    }

    @Test func passwordFromEnvironmentThenPasswordFile() throws {
        let directory = try TemporaryDirectory("pgpass")
        let file = directory.appending("pgpass").path
        try """
            # comment
            other:5432:*:sales:wrong
            db.example:5432:leads:sales:from\\:file
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try PostgresLocation(url: "postgresql://sales@db.example/leads", environment: ["PGPASSFILE": file])
        #expect(fromFile.password == "from:file")
        let fromEnvironment = try PostgresLocation(
            url: "postgresql://sales@db.example/leads", environment: ["PGPASSFILE": file, "PGPASSWORD": "env"])
        #expect(fromEnvironment.password == "env")
        let none = try PostgresLocation(url: "postgresql://sales@elsewhere/leads", environment: ["PGPASSFILE": file])
        #expect(none.password == nil)
    }

    @Test(arguments: [
        "mysql://u@h/db", "postgresql://h/db", "postgresql://u@h", "postgresql://u@h/", "postgresql://u@h/db?foo=bar",
        "postgresql://u@h:0/db", "not a url",
    ])
    func refusesMalformedURLs(url: String) {
        #expect(throws: PostgresHubError.self) { try PostgresLocation(url: url, environment: [:]) }
    }

    /// A wrong password and an unreachable port: the error says what failed, never the password.
    @Test func connectionErrorsNeverShowThePassword() async throws {
        let server = try PostgresTestDatabase.server()
        let secret = "Pw-\(UUID().uuidString)"
        var wrong = server
        wrong.password = secret
        do {
            _ = try await PostgresHubDatabase.connect(wrong)
            Issue.record("a wrong password connected")
        } catch {
            #expect(!error.description.contains(secret))
            #expect(error.description.contains(server.description))
            #expect(error.description.contains("password"), "\(error)")
        }
        var closed = server
        closed.port = 1
        closed.password = secret
        do {
            _ = try await PostgresHubDatabase.connect(closed)
            Issue.record("connected to port 1")
        } catch {
            #expect(!error.description.contains(secret))
            #expect(!String(reflecting: error).contains(secret))
        }
    }

    /// The CLI with the password in the URL: neither its error nor its logs repeat it.
    @Test func cliNeverPrintsThePassword() async throws {
        let server = try PostgresTestDatabase.server()
        let secret = "Pw-\(UUID().uuidString)"
        let url = "postgresql://\(server.user):\(secret)@127.0.0.1:\(server.port)/\(server.database)"
        for arguments in [["hub", "status", "--database", url], ["hub", "serve", "--database", url, "--port", "0", "--plaintext"]] {
            let result = try await onDedicatedThread { try LeadSyncBinary.run(arguments) }
            #expect(!result.succeeded)
            #expect(!result.stderr.contains(secret), "\(arguments[1]): \(result.stderr)")
            #expect(!result.stdout.contains(secret))
            #expect(result.stderr.contains("postgresql://\(server.user)@127.0.0.1:\(server.port)/\(server.database)"), "\(result.stderr)")
        }
    }
}
