import Foundation
import LeadSyncHub

/// `serve.lock` in a hub home: every `hub serve` holds a shared lock on it while it runs, and
/// `hub restore` needs the exclusive lock, so a restore never swaps the files under a serving hub.
/// The kernel drops the lock when the process ends, however it ends.
final class ServeLock {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The shared lock `hub serve` holds; never blocks (several hubs may serve one home).
    static func serving(_ home: HubHome) throws -> ServeLock {
        try acquire(home, operation: LOCK_SH)
    }

    /// The exclusive lock, or nil when a hub serves the home.
    static func exclusive(_ home: HubHome) throws -> ServeLock? {
        do {
            return try acquire(home, operation: LOCK_EX)
        } catch let error as CLIError where error.status == .temporaryFailure {
            return nil
        }
    }

    private static func acquire(_ home: HubHome, operation: Int32) throws -> ServeLock {
        let path = home.directory.appendingPathComponent("serve.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIError("cannot open \(path) (\(String(cString: strerror(errno)))): check the hub home's permissions", status: .ioError)
        }
        guard flock(descriptor, operation | LOCK_NB) == 0 else {
            close(descriptor)
            throw CLIError(
                "\(path) is locked: a 'hub restore' is running on this home; wait for it to finish", status: .temporaryFailure)
        }
        return ServeLock(descriptor: descriptor)
    }

    deinit {
        close(descriptor)
    }
}
