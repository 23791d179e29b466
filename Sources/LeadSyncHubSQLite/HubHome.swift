import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncStore

/// A hub's directory: `hub.sqlite` (a normal ``Store`` holding every replica's operations; its own
/// identity, node ``NodeID/hub``, writes only the replicated settings such as the rules),
/// `nodes.sqlite` (the ``NodeRegistry``) and the hub's TLS certificate and key (`tls-cert.pem`,
/// `tls-key.pem`, made by `hub init`).
public struct HubHome: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public var storePath: String { directory.appendingPathComponent("hub.sqlite").path }
    public var registryPath: String { directory.appendingPathComponent("nodes.sqlite").path }
    /// The hub's own TLS certificate (PEM), served unless `hub serve --tls-cert` names another.
    public var certificatePath: String { directory.appendingPathComponent("tls-cert.pem").path }
    /// The certificate's private key (PEM, mode 0600).
    public var keyPath: String { directory.appendingPathComponent("tls-key.pem").path }

    /// Creates the hub's databases; refuses a directory that already holds a hub or a replica.
    @discardableResult
    public static func initialize(at directory: URL) throws -> HubHome {
        let home = HubHome(directory: directory)
        let manager = FileManager.default
        if manager.fileExists(atPath: home.registryPath) {
            throw RegistryError.alreadyInitialized(directory.path)
        }
        if manager.fileExists(atPath: directory.appendingPathComponent("replica.sqlite").path) {
            throw RegistryError.alreadyInitialized(directory.path + " (a replica)")
        }
        // Private: hub.sqlite holds every lead's personal data (Docs/operating-a-hub.md).
        try PrivateFiles.createDirectory(directory)
        _ = try home.openRegistry()
        try home.openStore().initialize(node: .hub)
        return home
    }

    /// The existing hub in `directory`; never creates one in a mistyped path.
    public static func existing(at directory: URL) throws -> HubHome {
        let home = HubHome(directory: directory)
        guard FileManager.default.fileExists(atPath: home.registryPath) else {
            throw RegistryError.notAHub(directory.path)
        }
        return home
    }

    /// The node registry; `serving` for a running hub's own connection, which writes only statistics.
    public func openRegistry(serving: Bool = false) throws(RegistryError) -> NodeRegistry {
        try NodeRegistry.open(path: registryPath, durable: !serving)
    }

    /// The op store; `serving` for a running hub, which checkpoints the WAL off its writer thread.
    public func openStore(serving: Bool = false) throws(StoreError) -> Store {
        try Store.open(path: storePath, automaticCheckpoints: !serving, searchable: false)
    }

    /// The hub's store with its identity, for the hub's own writes (`hub rules set`). A hub made
    /// before hubs had an identity gets one now.
    public func openStoreForWriting() throws(StoreError) -> (store: Store, identity: ReplicaIdentity) {
        let store = try openStore()
        return (store, try Self.ensureHubIdentity(of: store))
    }

    /// The hub store's identity, made now for a hub made before hubs had one.
    @discardableResult
    static func ensureHubIdentity(of store: Store) throws(StoreError) -> ReplicaIdentity {
        if let identity = try store.identity() { return identity }
        do {
            return try store.initialize(node: .hub)
        } catch .alreadyInitialized {
            // Another process gave it one at the same moment.
            guard let identity = try store.identity() else { throw .notInitialized(path: store.path) }
            return identity
        }
    }
}
