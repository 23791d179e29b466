import Foundation
import LeadSyncProtocol

/// Counts the hub's connections by stage and enforces ``AdmissionLimits`` and the session cap.
/// Called from event loops (to refuse a connection before any task is made for it) and from
/// sessions, hence a lock rather than an actor: every call is a few dictionary operations.
final class AdmissionControl: @unchecked Sendable {
    private let limits: AdmissionLimits
    private let maxSessions: Int
    private let lock = NSLock()
    private var pendingByAddress: [String: Int] = [:]
    private var pending = 0
    private var sessions = 0

    init(limits: AdmissionLimits, maxSessions: Int) {
        self.limits = limits
        self.maxSessions = maxSessions
    }

    /// Admits a new connection from `address` as pending, or says why not.
    func admit(address: String) -> Result<AdmissionTicket, ProtocolError> {
        lock.withLock {
            let fromAddress = pendingByAddress[address, default: 0]
            guard fromAddress < limits.maxPendingPerAddress else {
                return .failure(ProtocolError(
                    .busy, "\(limits.maxPendingPerAddress) connections from this address are still to say hello; retry later"))
            }
            guard pending < limits.maxPending else {
                return .failure(ProtocolError(.busy, "the hub has \(limits.maxPending) connections still to say hello; retry later"))
            }
            pendingByAddress[address] = fromAddress + 1
            pending += 1
            return .success(AdmissionTicket(address: address, control: self))
        }
    }

    /// Moves an authenticated connection to a session slot, or says why not (it stays pending).
    fileprivate func promote(_ address: String) -> ProtocolError? {
        lock.withLock {
            guard sessions < maxSessions else {
                return ProtocolError(.busy, "the hub serves \(maxSessions) sessions at most; sync again in a moment")
            }
            sessions += 1
            releasePending(address)
            return nil
        }
    }

    fileprivate func release(_ address: String, wasSession: Bool) {
        lock.withLock {
            if wasSession { sessions -= 1 } else { releasePending(address) }
        }
    }

    /// Call with the lock held.
    private func releasePending(_ address: String) {
        pending -= 1
        let left = pendingByAddress[address, default: 1] - 1
        pendingByAddress[address] = left > 0 ? left : nil
    }
}

/// One connection's place in ``AdmissionControl``: pending until ``authenticated()``, given back
/// by ``release()`` (idempotent) when the connection ends.
final class AdmissionTicket: @unchecked Sendable {
    let address: String
    private let control: AdmissionControl
    private let lock = NSLock()
    private var stage = Stage.pending

    private enum Stage { case pending, session, released }

    fileprivate init(address: String, control: AdmissionControl) {
        self.address = address
        self.control = control
    }

    /// The connection authenticated: it takes a session slot, or gets the error to refuse it with.
    func authenticated() -> ProtocolError? {
        lock.withLock {
            guard stage == .pending else { return nil }
            if let refusal = control.promote(address) { return refusal }
            stage = .session
            return nil
        }
    }

    func release() {
        lock.withLock {
            guard stage != .released else { return }
            control.release(address, wasSession: stage == .session)
            stage = .released
        }
    }
}
