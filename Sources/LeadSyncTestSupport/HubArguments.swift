/// How the `leadsync hub …` commands of the built binary name a hub: `--home DIR` for the SQLite
/// hub (the default); another backend passes its own arguments, and ``CLIHub``, ``HubProcess``
/// and ``ServedHub`` then run the same commands against it.
public struct HubArguments: Sendable, Hashable {
    public let arguments: [String]

    public init(_ arguments: [String]) {
        self.arguments = arguments
    }

    /// The SQLite hub in a hub home directory.
    public static func home(_ path: String) -> HubArguments {
        HubArguments(["--home", path])
    }

    /// The PostgreSQL hub in the database `url` names (`--database URL`).
    public static func database(_ url: String) -> HubArguments {
        HubArguments(["--database", url])
    }
}
