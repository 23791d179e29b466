import Foundation

/// The time zone of the times a user types (`--at`) and reads (text output): the replica's
/// `timezone` setting, else `$TZ`, else the system's. JSON output stays UTC.
enum LocalZone {
    /// The zone for this process: `$TZ` (which ``adopt(_:)`` sets from the replica's setting),
    /// else the system's zone.
    static var current: TimeZone {
        guard let raw = getenv("TZ").map({ String(cString: $0) }), !raw.isEmpty else { return TimeZone.current }
        let name = raw.hasPrefix(":") ? String(raw.dropFirst()) : raw
        return TimeZone(identifier: name) ?? TimeZone.current
    }

    /// Makes the replica's configured zone this process's zone (called once, when the replica is
    /// opened); a name that is not a known zone is ignored (`config set` refuses those).
    static func adopt(_ identifier: String?) {
        guard let identifier, TimeZone(identifier: identifier) != nil else { return }
        setenv("TZ", identifier, 1)
    }
}
