import Foundation

/// The hub's wall clock, in milliseconds since 1970: node statistics, sessions and admin sessions
/// are stamped with it in every backend and in the admin server (tests pass their own clock).
public enum HubClock {
    public static let systemMillis: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
