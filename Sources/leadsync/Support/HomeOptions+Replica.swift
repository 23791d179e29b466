import Foundation
import LeadSyncCore
import LeadSyncStore

extension HomeOptions {
    /// Opens an initialised replica and returns it with its identity; refuses a home without one.
    func openReplica() throws -> (store: Store, identity: ReplicaIdentity) {
        let store = try openStore()
        guard let identity = try store.identity() else { throw StoreError.notInitialized(path: directory.path) }
        return (store, identity)
    }
}
