import LeadSyncHub

/// Page sign-ins: a random session id (the cookie) for each admin token that signed in, kept in
/// memory only (a restart signs everyone out). Each request re-checks the token against the
/// store, so revoking the token ends its sessions at once.
actor AdminSessions {
    /// Sessions kept at most; the oldest is dropped beyond it, so sign-ins cannot grow memory.
    static let limit = 1_000

    private struct Entry {
        let token: String
        let expiresAt: Int64
    }

    private var entries: [String: Entry] = [:]
    private let lifetimeMillis: Int64

    init(lifetimeMillis: Int64) {
        self.lifetimeMillis = lifetimeMillis
    }

    /// A new session for `token` (already checked); returns its id.
    func open(token: String, now: Int64) -> String {
        entries = entries.filter { $0.value.expiresAt > now }
        if entries.count >= Self.limit, let oldest = entries.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
            entries[oldest.key] = nil
        }
        let id = NodeToken.generate()
        entries[id] = Entry(token: token, expiresAt: now + lifetimeMillis)
        return id
    }

    /// The token behind a live session id, or nil.
    func token(for id: String, now: Int64) -> String? {
        guard let entry = entries[id] else { return nil }
        guard entry.expiresAt > now else {
            entries[id] = nil
            return nil
        }
        return entry.token
    }

    func close(_ id: String) {
        entries[id] = nil
    }
}
