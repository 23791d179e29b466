import Foundation

/// Keeps a home's files to their owner: every lead's personal data is in them, and on a shared
/// machine (a hub's server, a family laptop) the default umask would make them world-readable.
/// Modes are set explicitly, so they do not depend on the umask.
public enum PrivateFiles {
    /// The mode of a home directory: owner only.
    public static let directoryMode: mode_t = 0o700
    /// The mode of a database, its WAL and shared-memory files, and keys.
    public static let fileMode: mode_t = 0o600

    /// Creates `directory` (and missing parents) if it does not exist, the last one with mode 0700.
    /// An existing directory is left as it is: see ``warning(forHome:)``.
    public static func createDirectory(_ directory: URL) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: directory.path) else { return }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        guard chmod(directory.path, directoryMode) == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: directory.path])
        }
    }

    /// Creates the SQLite database at `path` empty with mode 0600 if it does not exist yet, so it is
    /// never readable by others, not even for a moment; SQLite then gives its `-wal` and `-shm`
    /// files the same mode. ``restrict(database:)`` sets them explicitly after opening.
    public static func prepare(database path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { return }
        fchmod(descriptor, fileMode)
        close(descriptor)
    }

    /// Sets mode 0600 on the database at `path` and on its `-wal` and `-shm` files, where they
    /// exist and this user owns them (a read-only user of someone else's home changes nothing).
    public static func restrict(database path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_uid == geteuid(), status.st_mode & 0o777 != fileMode else { continue }
            chmod(file, fileMode)
        }
    }

    /// A warning for a home directory that others may read or enter, or nil when it is private
    /// (or does not exist).
    public static func warning(forHome directory: URL) -> String? {
        var status = stat()
        guard stat(directory.path, &status) == 0, status.st_mode & 0o077 != 0 else { return nil }
        let mode = String(status.st_mode & 0o777, radix: 8)
        return "warning: \(directory.path) is accessible to other users (mode \(mode)) and holds personal data; "
            + "restrict it with 'chmod 700 \(directory.path)'"
    }
}
