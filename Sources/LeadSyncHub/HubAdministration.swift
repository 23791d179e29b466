import LeadSyncCore

/// What the hub's administration commands (`leadsync hub add-node`, `revoke-node`, `list-nodes`,
/// `status`, `rules`, `admin-token`) do to a hub, whatever stores it. Beside ``HubStore`` (what
/// the server needs), so that the CLI opens any backend the same way and never its files.
///
/// Methods are `async` so implementations do their blocking I/O off the caller's thread.
public protocol HubAdministration: Sendable {
    /// The hub's id, made by `hub init`.
    func hubID() async throws -> String
    /// Registers `node` (or, with `reissue`, gives it a new token) and returns the token; the hub
    /// keeps only its hash (``NodeToken``). Throws ``RegistryError``.
    func addNode(_ node: NodeID, reissue: Bool) async throws -> String
    /// Refuses the node's next sessions; its operations on the hub stay.
    func revokeNode(_ node: NodeID) async throws
    /// Every registered node, revoked ones too.
    func nodes() async throws -> [NodeRecord]
    /// The per-node report `leadsync hub status` prints.
    func status() async throws -> HubStatus
    /// The replicated setting `name` (such as the rules), nil when the hub never wrote it.
    func replicatedSetting(_ name: String) async throws -> String?
    /// Writes `value` as the replicated setting `name`: an operation of a new actor of node
    /// ``NodeID/hub`` on ``RecordID/settings``, which every replica receives. Returns nil, writing
    /// nothing, when the hub holds this value already.
    func publishSetting(name: String, value: String) async throws -> Op?
    /// Makes admin token `name` and returns it (only its hash is kept).
    func createAdminToken(_ name: NodeID) async throws -> String
    func revokeAdminToken(_ name: NodeID) async throws
    /// Every admin token's name and dates, never the tokens.
    func adminTokens() async throws -> [AdminTokenRecord]
}
