import Foundation
import GRDB

/// Online snapshots of a store (`hub backup`).
extension Store {
    /// Copies a consistent snapshot of the whole database into a new file at `path` with SQLite's
    /// online backup, read inside one read transaction: writers (a serving hub) go on meanwhile and
    /// the copy holds exactly the transactions committed when it started. Refuses an existing file.
    public func backup(to path: String) throws(StoreError) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .database("\(path) already exists; a backup never overwrites a file")
        }
        PrivateFiles.prepare(database: path)
        try mapErrors {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.close()
        }
        PrivateFiles.restrict(database: path)
    }
}
