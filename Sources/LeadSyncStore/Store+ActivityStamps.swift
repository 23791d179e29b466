import GRDB
import LeadSyncCore

/// What lead scoring needs of one activity: its type and when it happened.
public struct ActivityStamp: Sendable, Hashable {
    /// The activity type (`demo_request`, `note`, …).
    public let type: String
    /// When it happened (its `at`, else when it was logged), UTC milliseconds: ``Activity/time``.
    public let time: Int64

    public init(type: String, time: Int64) {
        self.type = type
        self.time = time
    }
}

extension Store {
    /// Every lead's activity types and times in one read, for scoring many leads at once.
    ///
    /// A lead's entry holds what ``activities(for:)`` returns for it: its own activities and those
    /// of the duplicates merged into it. Leads without activities have no entry. Order is
    /// unspecified (scoring does not depend on it).
    public func activityStamps() throws(StoreError) -> [RecordID: [ActivityStamp]] {
        try read { db in
            var result: [RecordID: [ActivityStamp]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT lead.id, lead.merge_root, activity.type, coalesce(activity.at, activity.hlc >> 16) AS time
                FROM activity JOIN lead ON lead.pk = activity.lead
                """)
            while let row = try rows.next() {
                let stamp = ActivityStamp(type: row["type"], time: row["time"])
                result[try RecordID(validating: row["id"]), default: []].append(stamp)
                if let target: String = row["merge_root"] {
                    result[try RecordID(validating: target), default: []].append(stamp)
                }
            }
            return result
        }
    }
}
