import LeadSyncRules
import LeadSyncCore
import Testing

@Suite("Consent")
struct ConsentTests {
    @Test func latestEventPerChannelWins() throws {
        let events = [
            ConsentEvent(channel: .email, granted: true, how: "booth form", at: 100, by: "anna"),
            ConsentEvent(channel: .email, granted: false, how: "unsubscribe link", at: 300, by: "hub"),
            ConsentEvent(channel: .phone, granted: false, how: "asked at booth", at: 100, by: "anna"),
            ConsentEvent(channel: .phone, granted: true, how: "call", at: 200, by: "ben"),
        ]
        for order in [events, events.reversed()] {
            let current = Consent.current(order)
            let email = try #require(current[.email])
            #expect(email.status == .denied)
            #expect(!email.isConsented)
            #expect(email.decidedBy.how == "unsubscribe link")
            let phone = try #require(current[.phone])
            #expect(phone.status == .granted)
            #expect(phone.isConsented)
            #expect(current[.newsletter] == nil)
        }
    }

    @Test func tiesOnTimeGoToTheGreaterRecorder() throws {
        let a = ConsentEvent(channel: .email, granted: false, how: "x", at: 100, by: "anna")
        let b = ConsentEvent(channel: .email, granted: true, how: "y", at: 100, by: "ben")
        #expect(Consent.current([a, b])[.email]?.status == .granted)
        #expect(Consent.current([b, a])[.email]?.status == .granted)
        let c = ConsentEvent(channel: .email, granted: true, how: "z", at: 100, by: "anna")
        // Same time and recorder: the refusal wins, whatever the order.
        #expect(Consent.current([a, c])[.email]?.status == .denied)
        #expect(Consent.current([c, a])[.email]?.status == .denied)
    }

    @Test func newsletterNeedsDoubleOptIn() throws {
        let signup = ConsentEvent(channel: .newsletter, granted: true, how: "booth tablet", doubleOptIn: false, at: 100, by: "anna")
        let pending = try #require(Consent.current([signup])[.newsletter])
        #expect(pending.status == .pendingDoubleOptIn)
        #expect(pending.status.description == "pending double opt-in")
        #expect(!pending.isConsented)
        #expect(pending.decidedBy == signup)

        let confirmed = ConsentEvent(channel: .newsletter, granted: true, how: "confirmation link", doubleOptIn: true, at: 200, by: "hub")
        let state = try #require(Consent.current([confirmed, signup])[.newsletter])
        #expect(state.status == .granted)
        #expect(state.isConsented)

        let withdrawn = ConsentEvent(channel: .newsletter, granted: false, how: "unsubscribe", at: 300, by: "hub")
        #expect(Consent.current([signup, confirmed, withdrawn])[.newsletter]?.status == .denied)
    }

    @Test func emailAndPhoneNeedNoDoubleOptIn() {
        let events = [
            ConsentEvent(channel: .email, granted: true, how: "business card note", at: 1, by: "anna"),
            ConsentEvent(channel: .phone, granted: true, how: "asked", at: 1, by: "anna"),
        ]
        let current = Consent.current(events)
        #expect(current[.email]?.isConsented == true)
        #expect(current[.phone]?.isConsented == true)
        #expect(Consent.current([]).isEmpty)
    }
}
