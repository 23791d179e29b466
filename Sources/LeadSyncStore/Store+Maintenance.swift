import GRDB

extension Store {
    /// Moves the WAL's content into the main file and truncates the WAL, e.g. before measuring size.
    public func checkpoint() throws(StoreError) {
        try mapErrors { try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
    }
}
