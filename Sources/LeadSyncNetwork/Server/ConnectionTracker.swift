import LeadSyncProtocol
import NIOCore

/// The hub's live connections, to reach every session at shutdown. (``AdmissionControl`` enforces
/// the caps.)
actor ConnectionTracker {
    private var channels: [ObjectIdentifier: any Channel] = [:]
    private var shuttingDown = false

    /// Admits a new connection, or says which error to refuse it with.
    func admit(_ channel: any Channel) -> ProtocolError? {
        if shuttingDown {
            return ProtocolError(.shuttingDown, "the hub is shutting down; sync again in a moment")
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
