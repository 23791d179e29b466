import GRDB
import LeadSyncCore
import LeadSyncTestSupport

/// The ceiling: the same rows and updates written into a plain table in one transaction, with
/// the same durability (`synchronous=FULL`, WAL). Rows are generated as they are written.
enum Ceiling {
    /// Seconds the write took.
    static func measure(_ workload: Workload, path: String) throws -> Double {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let plain = try DatabasePool(path: path, configuration: configuration)
        let fieldNames = Workload.fieldNames
        let start = ContinuousClock.now
        try plain.write { db in
            var generator = SeededGenerator(seed: 2026)
            let columns = fieldNames.map(\.rawValue)
            try db.execute(sql: "CREATE TABLE lead (id INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")))")
            let insert = try db.makeStatement(sql: "INSERT INTO lead VALUES (?, \(columns.map { _ in "?" }.joined(separator: ", ")))")
            let updates = try columns.map { try db.makeStatement(sql: "UPDATE lead SET \($0) = ? WHERE id = ?") }
            for rep in 0..<workload.reps {
                for lead in 0..<workload.leadsPerRep {
                    var values: [(any DatabaseValueConvertible)?] = [rep * workload.leadsPerRep + lead]
                    values += fieldNames.map { Workload.value($0, rep: rep, lead: lead, version: 0) }
                    try insert.execute(arguments: StatementArguments(values))
                }
                for edit in 1...max(workload.editsPerLead, 1) where workload.editsPerLead > 0 {
                    for lead in 0..<workload.leadsPerRep {
                        let index = Int.random(in: 0..<fieldNames.count, using: &generator)
                        try updates[index].execute(arguments: [
                            Workload.value(fieldNames[index], rep: rep, lead: lead, version: edit), rep * workload.leadsPerRep + lead,
                        ])
                    }
                }
            }
        }
        return seconds(since: start)
    }
}
