import LeadSyncRules

/// Shared test data.
enum Fixtures {
    static let day: Int64 = 86_400_000
    /// 2026-04-20 00:00:00 UTC.
    static let now: Int64 = 1_776_643_200_000

    /// The example file from the rules format description, line numbers as commented.
    static let exampleRules = """
        # LeadSync rules, version 1
        threshold warm 30
        threshold hot 60
        threshold mql 50

        # attribute (fit) points
        points 15 job_title contains "einkauf"
        points 10 job_title contains "head of"
        points 5  country is DE
        points 10 source is badge_scan
        points 5  event is "Hannover Messe 2026"
        points -10 email missing
        points 5  tag vip

        # behaviour (engagement) points
        points 30 activity demo_request
        points 5  activity download each max 15
        points 2  activity email_opened each max 10
        points 10 activity any within 30d

        # routing: first matching rule assigns the owner on capture when none is given
        route anna country is DE
        route ben postal_code prefix 8
        route carla event is "Hannover Messe 2026"
        route dave source is webinar
        """

    static func lead(
        _ id: String = "lead-1",
        _ fields: [String: String] = [:],
        stage: String = "lead",
        tags: [String] = [],
        activities: [ActivityFact] = []
    ) -> LeadFacts {
        LeadFacts(id: id, fields: fields, stage: stage, tags: tags, activities: activities)
    }

    /// `count` activities of `type`, one per hour going back from `start`.
    static func activities(_ type: String, count: Int, from start: Int64 = now) -> [ActivityFact] {
        (0..<count).map { ActivityFact(type: type, at: start - Int64($0) * 3_600_000) }
    }
}
