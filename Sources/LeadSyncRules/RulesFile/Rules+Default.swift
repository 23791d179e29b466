extension Rules {
    /// The built-in rule set, used until an admin distributes a rules file. It has no routes
    /// (owners are installation-specific) and uses the default thresholds.
    public static let `default`: Rules = {
        do {
            return try RulesFile.parse(defaultText, name: "default rules")
        } catch {
            fatalError("the built-in rules do not parse: \(error)")
        }
    }()

    /// The text of ``default``; a starting point for a site's own rules file.
    static let defaultText = """
        threshold warm 30
        threshold hot 60
        threshold mql 50

        # fit: who the lead is
        points 10 job_title present
        points 10 company present
        points 5  phone present
        points -10 email missing
        points 10 source is badge_scan
        points 10 source is booth_conversation
        points 5  source is business_card
        points -50 kind is internal

        # engagement: what the lead did
        points 40 activity demo_request
        points 40 activity quote_request
        points 20 activity meeting
        points 10 activity conversation
        points 5  activity booth_visit
        points 5  activity call each max 15
        points 5  activity download each max 15
        points 5  activity webinar each max 10
        points 2  activity email_opened each max 10
        points 10 activity any within 30d

        """
}
