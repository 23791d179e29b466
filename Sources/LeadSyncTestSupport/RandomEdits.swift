import Foundation
import LeadSyncCore
import LeadSyncStore

/// Random local edits for the convergence property tests (in-process and over the wire): few
/// leads and few values, so that concurrent writes to one field are common, and every kind of
/// change, erasure included (rarely, as in life).
public enum RandomEdits {
    static let cities = ["Berlin", "Hamburg", "München", ""]
    static let phones = ["+49 30 1234567", "+49 89 7654321", ""]
    static let companies = ["Acme", "Globex", "Initech AG"]
    static let emails = ["anna@example.com", "bob@example.org", ""]
    static let booths = ["A1", "B2"]
    static let tags = ["vip", "fair", "hot"]

    /// Makes one random edit on `store` and returns its operation, or nil when the draw made none.
    /// With `create`, or one time in five, or on an empty store, the edit creates a lead.
    public static func edit(at store: Store, using rng: inout SeededGenerator, create: Bool = false) throws -> Op? {
        var filter = LeadFilter()
        filter.includeDeleted = true
        filter.includeMerged = true
        let leads = try store.leads(filter).filter { !$0.erased }
        guard !create, let lead = leads.randomElement(using: &rng), Int.random(in: 0..<5, using: &rng) != 0 else {
            let change = try Store.createChange(
                fields: ["last_name": "Lead\(Int.random(in: 0..<1000, using: &rng))", "city": cities.randomElement(using: &rng)!],
                stage: .lead, tags: tags.filter { _ in Bool.random(using: &rng) })
            return try store.commit(change, to: RecordID.random(using: &rng))
        }
        let change: Change
        switch Int.random(in: 0..<13, using: &rng) {
        case 0, 1, 2, 3:
            var fields: [FieldName: String] = [:]
            fields[.standard(.city)] = cities.randomElement(using: &rng)!
            if Bool.random(using: &rng) { fields[.standard(.phone)] = phones.randomElement(using: &rng)! }
            if Bool.random(using: &rng) { fields[.standard(.company)] = companies.randomElement(using: &rng)! }
            if Bool.random(using: &rng) { fields[.standard(.email)] = emails.randomElement(using: &rng)! }
            if Bool.random(using: &rng) { fields[.custom("x_booth")] = booths.randomElement(using: &rng)! }
            change = .set(fields)
        case 4: change = .delete
        case 5: change = .restore
        case 6: change = .tag([tags.randomElement(using: &rng)!])
        case 7: change = .untag([tags.randomElement(using: &rng)!])
        case 8: change = .stage(LifecycleStage.allCases.randomElement(using: &rng)!)
        case 9: change = .note("note \(Int.random(in: 0..<100, using: &rng))")
        case 10: change = .activity(ActivityEntry(type: ActivityType.allCases.randomElement(using: &rng)!, text: "a", at: nil))
        case 11:
            // Now and then into the lead itself: an unmerge.
            guard let target = leads.randomElement(using: &rng) else { return nil }
            change = .merge(into: target.id)
        default:
            guard Int.random(in: 0..<4, using: &rng) == 0 else { return nil }
            change = .erase
        }
        return try store.commit(change, to: lead.id)
    }
}

/// A replica's wall clock for simulations: starts anywhere (years behind, to show that wall time
/// never decides between causally ordered writes) and advances a little on every read.
public final class SimulatedWallClock: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64

    public init(_ millis: Int64) { self.millis = millis }

    public func tick() -> Int64 {
        lock.withLock {
            millis += 7
            return millis
        }
    }
}
