import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncHub

/// `leadsync hub admin-token …`: tokens for the admin page, JSON API and metrics.
struct HubAdminToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-token",
        abstract: "Create, revoke and list admin tokens for the admin page, API and metrics.",
        discussion: """
            An admin token opens the admin server that 'leadsync hub serve --admin-port N' starts: send it \
            as 'Authorization: Bearer TOKEN' to /api/v1/… and /metrics, or paste it into the page's sign-in \
            form. The hub keeps only its SHA-256 in nodes.sqlite (or, with --database, in PostgreSQL, where \
            every hub process's admin server accepts it). See Docs/admin-api.md.
            """,
        subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an admin token and print it (shown only once).",
            discussion: "Standard output is the token alone, for scripts. A revoked name cannot be reused.")

        @OptionGroup var home: HubHomeOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "A name for the token, e.g. who holds it: 1-64 of a-z, 0-9, '.', '_', '-'.")
        var name: String

        func validate() throws {
            do { _ = try NodeID(validating: name) } catch { throw ValidationError("admin token name: \(error.description)") }
        }

        func run() async throws {
            let tokenName = try NodeID(validating: name)
            let token = try await withHub(try home.location) { try await $0.createAdminToken(tokenName) }
            if output.json {
                try JSONOutput.print(["name": name, "token": token])
            } else {
                print(token)
                FileHandle.standardError.write(Data("""
                    admin token '\(name)' created. It is shown only once; use it as
                      curl -H 'Authorization: Bearer \(token)' http://127.0.0.1:ADMIN_PORT/api/v1/nodes

                    """.utf8))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an admin token: its requests and page sessions are refused from now on.")

        @OptionGroup var home: HubHomeOptions

        @Argument(help: "The token's name.")
        var name: String

        func run() async throws {
            let tokenName = try NodeID(validating: name)
            try await withHub(try home.location) { try await $0.revokeAdminToken(tokenName) }
            print("revoked admin token '\(tokenName)'")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List admin tokens (names and dates; never the tokens).")

        @OptionGroup var home: HubHomeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tokens = try await withHub(try home.location) { try await $0.adminTokens() }
            if output.json {
                try JSONOutput.print(tokens)
                return
            }
            guard !tokens.isEmpty else {
                print("no admin tokens: make one with 'leadsync hub admin-token create NAME'")
                return
            }
            var table = TextTable(header: ["NAME", "STATE", "CREATED", "REVOKED"])
            for token in tokens {
                table.add([
                    token.name, token.revokedAt == nil ? "active" : "revoked", Formatting.iso8601(millis: token.createdAt),
                    token.revokedAt.map(Formatting.iso8601(millis:)) ?? "",
                ])
            }
            print(table.render())
        }
    }
}
