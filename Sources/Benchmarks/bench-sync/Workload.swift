import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport

/// The "trade-fair day" workload: `reps` reps each capture `leadsPerRep` leads with 8 fields
/// offline, then make `editsPerLead` single-field edits per lead (each round edits every lead once).
struct Workload {
    static let fieldNames: [LeadField] = [.firstName, .lastName, .email, .phone, .company, .jobTitle, .city, .event]

    let reps: Int
    let leadsPerRep: Int
    let editsPerLead: Int

    var opsPerRep: Int { leadsPerRep * (1 + editsPerLead) }
    var totalOps: Int { reps * opsPerRep }
    var fieldUpdates: Int { reps * leadsPerRep * (Self.fieldNames.count + editsPerLead) }

    static func value(_ field: LeadField, rep: Int, lead: Int, version: Int) -> String {
        switch field {
        case .email: "rep\(rep).lead\(lead).v\(version)@example.de"
        case .phone: "+49 30 \(rep * 100_000 + lead * 10 + version % 10)"
        case .event: "Hannover Messe 2026"
        default: "\(field.rawValue)-\(rep)-\(lead)-v\(version)"
        }
    }
}

/// One rep's replica on disk. Its store is opened only while it is used, so a run with hundreds
/// of reps holds the reps' data in their files, not in this process's memory.
struct BenchRep: Sendable {
    let directory: TemporaryDirectory
    let node: NodeID
    let token: String

    var databasePath: String { directory.appending("replica.sqlite").path }

    func openStore() throws -> Store {
        try Store.open(path: databasePath)
    }
}

extension Workload {
    /// The day: each rep captures and edits offline, one rep after the other (not timed: that is
    /// bench-local's job). The same seed gives the same data at every size.
    func prepareReps(on hub: BenchHub) async throws -> [BenchRep] {
        var generator = SeededGenerator(seed: 2026)
        var prepared: [BenchRep] = []
        for rep in 0..<reps {
            let replica = try await hub.addReplica("rep\(rep)")
            try replica.store.editing { editor in
                var ids: [RecordID] = []
                for lead in 0..<leadsPerRep {
                    var fields: [FieldName: String] = [:]
                    for field in Self.fieldNames { fields[.standard(field)] = Self.value(field, rep: rep, lead: lead, version: 0) }
                    let id = RecordID.random(using: &generator)
                    try editor.commit(.create(fields: fields, stage: .lead, tags: []), to: id)
                    ids.append(id)
                }
                for edit in 1...max(editsPerLead, 1) where editsPerLead > 0 {
                    for (lead, id) in ids.enumerated() {
                        let field = Self.fieldNames[Int.random(in: 0..<Self.fieldNames.count, using: &generator)]
                        try editor.commit(.set([.standard(field): Self.value(field, rep: rep, lead: lead, version: edit)]), to: id)
                    }
                }
            }
            prepared.append(BenchRep(directory: replica.directory, node: replica.node, token: replica.token))
        }
        return prepared
    }
}
