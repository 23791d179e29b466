import Foundation
import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

/// Current consent, derived by the ONE definition (`Consent.current` of LeadSyncRules) from the
/// events the store records; `show` and `list --consented` both come through here.
enum CurrentConsent {
    static func of(_ events: [LeadSyncStore.ConsentEvent]) -> [ConsentChannel: ConsentState] {
        Consent.current(events.map { event in
            LeadSyncRules.ConsentEvent(
                channel: event.entry.channel, granted: event.entry.granted, how: event.entry.how,
                doubleOptIn: event.entry.doubleOptIn, at: event.time, by: event.origin.rawValue)
        })
    }

    /// Whether the lead with these events may be contacted on `channel`.
    static func isConsented(_ events: [LeadSyncStore.ConsentEvent], _ channel: ConsentChannel) -> Bool {
        of(events)[channel]?.isConsented == true
    }
}

/// Everything `show` prints about one lead, gathered from the store.
struct LeadDetail {
    let lead: Lead
    /// Activities of the lead and of the duplicates merged into it, in time order.
    let timeline: [Activity]
    let conflicts: [Conflict]
    /// Every stage write, oldest first.
    let stageHistory: [StageChange]
    let consentEvents: [LeadSyncStore.ConsentEvent]
    let consent: [ConsentChannel: ConsentState]
    /// The lead this one was merged into, when it was.
    let mergedInto: Lead?
    let duplicates: [MergedDuplicate]

    static func gather(_ record: RecordID, from store: Store) throws -> LeadDetail {
        guard let lead = try store.lead(record) else { throw StoreError.unknownLead(record.rawValue) }
        let consentEvents = try store.consentEvents(for: record)
        return LeadDetail(
            lead: lead, timeline: try store.activities(for: record), conflicts: try store.conflicts(for: record),
            stageHistory: try store.stageHistories(for: record)[record] ?? [], consentEvents: consentEvents,
            consent: CurrentConsent.of(consentEvents), mergedInto: try lead.mergedInto.flatMap { try store.lead($0) },
            duplicates: try store.mergedDuplicates(of: record))
    }
}

extension ConsentStatus {
    /// The status as `--json` spells it.
    var jsonName: String {
        switch self {
        case .granted: "granted"
        case .denied: "denied"
        case .pendingDoubleOptIn: "pending_double_opt_in"
        }
    }
}

extension DuplicateReason {
    /// The reason as `--json` spells it (`same_email`); text output uses blanks instead.
    var jsonName: String {
        switch self {
        case .sameEmail: "same_email"
        case .samePhone: "same_phone"
        case .sameNameAndCompany: "same_name_and_company"
        }
    }

    var text: String { jsonName.replacingOccurrences(of: "_", with: " ") }
}
