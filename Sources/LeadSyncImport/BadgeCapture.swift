import LeadSyncCore
import LeadSyncExchange
import LeadSyncStore

/// Captures one lead from a scanned badge or business-card QR code (vCard, MECARD, `mailto:`
/// or a plain e-mail address).
///
/// A badge is scanned at the booth, often twice by two reps. So an e-mail that is already in
/// the replica is refused with a message naming the existing lead, unless the caller allows
/// duplicates; the check and the write happen in one transaction.
public struct BadgeCapture {
    public let store: Store
    /// Used when the payload has no source: `badge_scan` unless told otherwise.
    public var source: LeadSource = .badgeScan
    /// Fills `event` when the payload has none.
    public var event: String?
    /// Create the lead even when its e-mail is known.
    public var allowDuplicate = false

    public init(store: Store) {
        self.store = store
    }

    /// What ``capture(_:)`` created.
    public struct Result: Sendable {
        public let id: RecordID
        /// Live leads with the same e-mail, found when duplicates were allowed.
        public let duplicates: [Lead]
    }

    /// Parses `payload` and creates the lead (with the payload's notes). Throws
    /// ``CaptureError`` for an unreadable payload, invalid data, or a known e-mail.
    public func capture(_ payload: String) throws(CaptureError) -> Result {
        let draft: LeadDraft
        do {
            draft = try BadgePayload.parse(payload)
        } catch {
            throw .payload(error)
        }
        var defaults = [LeadField.source.rawValue: source.rawValue]
        if let event { defaults[LeadField.event.rawValue] = event }
        let prepared: PreparedLead
        do {
            prepared = try PreparedLead(draft, defaults: defaults)
        } catch {
            throw .invalid(error.description)
        }
        var refusal: CaptureError?
        do {
            return try store.editing { editor in
                var duplicates: [Lead] = []
                if let email = prepared.email {
                    duplicates = try editor.leads(withEmail: email)
                    if let existing = duplicates.first, !allowDuplicate {
                        refusal = .duplicate(email: email, existing: existing)
                        throw refusal!
                    }
                }
                var generator = SystemRandomNumberGenerator()
                let id = RecordID.random(using: &generator)
                try editor.commit(prepared.create, to: id)
                for note in prepared.notes { try editor.commit(.note(note), to: id) }
                return Result(id: id, duplicates: duplicates)
            }
        } catch {
            if let refusal { throw refusal }
            throw .store(error)
        }
    }
}

/// Why a scan did not become a lead.
public enum CaptureError: Error, Sendable, CustomStringConvertible {
    case payload(ExchangeError)
    case invalid(String)
    case duplicate(email: String, existing: Lead)
    case store(StoreError)

    public var description: String {
        switch self {
        case .payload(let error): error.description
        case .invalid(let message): "the scanned lead is not valid: \(message)"
        case .duplicate(let email, let existing):
            "\(email) is already lead \(existing.id.short)\(Self.name(existing)); nothing was captured "
                + "(see 'leadsync show \(existing.id.short)', or pass --allow-duplicate to capture it anyway)"
        case .store(let error): error.description
        }
    }

    private static func name(_ lead: Lead) -> String {
        let name = [lead.fields["first_name"], lead.fields["last_name"]].compactMap { $0 }.joined(separator: " ")
        let label = [name, lead.fields["company"] ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
        return label.isEmpty ? "" : " (\(label))"
    }
}
