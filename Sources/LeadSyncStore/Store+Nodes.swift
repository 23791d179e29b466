import GRDB
import LeadSyncCore

extension Store {
    /// The node names of every actor whose operations this replica holds, itself included: the
    /// reps an imported owner column can be matched to.
    public func knownNodes() throws(StoreError) -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT node FROM actor")) }
    }
}
