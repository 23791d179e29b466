import LeadSyncProtocol
import NIOCore

/// The hub's live connections: enforces the cap and reaches every session at shutdown.
actor ConnectionTracker {
    private var channels: [ObjectIdentifier: any Channel] = [:]
    private var shuttingDown = false
    private let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// Admits a new connection, or says which error to refuse it with.
    func admit(_ channel: any Channel) -> ProtocolError? {
        if shuttingDown {
            return ProtocolError(.shuttingDown, "the hub is shutting down; sync again in a moment")
        }
        guard channels.count < maxConnections else {
            return ProtocolError(.busy, "the hub serves \(maxConnections) connections at most; sync again in a moment")
        }
        channels[ObjectIdentifier(channel)] = channel
        return nil
    }

    func remove(_ channel: any Channel) {
        channels.removeValue(forKey: ObjectIdentifier(channel))
    }

    var count: Int { channels.count }

    /// Stops admitting and returns the sessions to notify.
    func beginShutdown() -> [any Channel] {
        shuttingDown = true
        return Array(channels.values)
    }

    func closeAll() {
        for channel in channels.values { channel.close(promise: nil) }
    }
}
