import Foundation

/// Creates files with their final permissions from the first byte on.
enum PrivateFile {
    /// Creates `path` (it must not exist) with `mode`, writes `contents` and syncs it.
    static func create(_ path: String, contents: String, mode: mode_t) throws(TLSError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        // The mode given to open is narrowed by the umask; a key file must end up exactly 0600.
        guard fchmod(descriptor, mode) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .cannotCreate(path: path, reason: reason)
        }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw .cannotCreate(path: path, reason: reason)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .cannotCreate(path: path, reason: reason)
        }
    }
}
