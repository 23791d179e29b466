import LeadSyncRules
import Testing

@Suite("Routing")
struct RoutingTests {
    let rules: Rules

    init() throws {
        rules = try RulesFile.parse(Fixtures.exampleRules, name: "rules.txt")
    }

    @Test func firstMatchingRouteWins() {
        // Matches ben (line 23), carla (24) and dave (25): ben comes first.
        let lead = Fixtures.lead("x", ["postal_code": "80331", "event": "Hannover Messe 2026", "source": "webinar"])
        let route = rules.route(lead)
        #expect(route?.owner == "ben")
        #expect(route?.line == 23)
    }

    @Test func earlierRouteBeatsLaterOnes() {
        let lead = Fixtures.lead("x", ["country": "DE", "postal_code": "80331"])
        #expect(rules.route(lead)?.owner == "anna")
        #expect(rules.route(lead)?.line == 22)
    }

    @Test func laterRoutesApplyWhenEarlierOnesFail() {
        #expect(rules.route(Fixtures.lead("x", ["event": "HANNOVER MESSE 2026"]))?.owner == "carla")
        #expect(rules.route(Fixtures.lead("x", ["source": "webinar"]))?.line == 25)
    }

    @Test func countryNamesAndCodesAreOneCountry() throws {
        let rules = try RulesFile.parse("route anna country is Germany\nroute ben country is AUT\n", name: "rules.txt")
        for spelling in ["DE", "de", "Deutschland", "Allemagne", "DEU"] {
            #expect(rules.route(Fixtures.lead("x", ["country": spelling]))?.owner == "anna", "\(spelling)")
        }
        #expect(rules.route(Fixtures.lead("x", ["country": "Österreich"]))?.owner == "ben")
        #expect(rules.route(Fixtures.lead("x", ["country": "Atlantis"])) == nil)
    }

    @Test func noRouteMatches() {
        #expect(rules.route(Fixtures.lead("x", ["country": "AT", "postal_code": "1010"])) == nil)
    }
}
