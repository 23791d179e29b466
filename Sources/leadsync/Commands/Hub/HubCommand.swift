import ArgumentParser

/// `leadsync hub …`: run and administer a hub.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run and administer a LeadSync hub.",
        discussion: """
            A hub's home (--home) holds hub.sqlite, the relayed operations, and nodes.sqlite, the \
            registered nodes with their token hashes and sync statistics. See Docs/operating-a-hub.md.
            """,
        subcommands: [
            HubInit.self, HubServe.self, HubAddNode.self, HubRevokeNode.self, HubListNodes.self, HubStatusCommand.self,
            HubRules.self, HubAdminToken.self, HubBackupCommand.self, HubRestoreCommand.self,
        ]
    )
}
