import Foundation
import GRDB
import LeadSyncCore
import LeadSyncStore

// Captures N leads through the library API into a fresh replica and reports leads/s and bytes on
// disk per lead, next to the same rows bulk-inserted into a plain SQLite table: the ceiling.
// Usage: bench-local [LEADS] [BATCH]

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let total = arguments.first ?? 100_000
let batch = arguments.dropFirst().first ?? 1_000
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-local-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

let companies = ["Müller Maschinenbau GmbH", "Acme Corp", "Globex AG", "Initech", "Schneider & Söhne KG"]
let cities = ["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart"]
let titles = ["Head of Procurement", "CTO", "Einkaufsleiterin", "Marketing Manager", "Geschäftsführer"]

/// The eight fields of lead `i`: the same rows for the replica and the ceiling table.
func fields(_ i: Int) -> [String: String] {
    [
        "first_name": "Vorname\(i)", "last_name": "Nachname\(i)", "email": "lead\(i)@example\(i % 97).de",
        "phone": "+49 30 \(1_000_000 + i)", "company": companies[i % companies.count],
        "job_title": titles[i % titles.count], "city": cities[i % cities.count], "event": "Hannover Messe 2026",
    ]
}

func seconds(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func diskBytes(_ path: String) -> Int {
    ["", "-wal", "-shm"].reduce(0) { sum, suffix in
        sum + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
    }
}

// The input, made before any timer starts: both contenders get the same prepared rows.
var generator = SystemRandomNumberGenerator()
let rows = (0..<total).map { fields($0) }
let ids = (0..<total).map { _ in RecordID.random(using: &generator) }

// 1. LeadSync: validated, op-logged, merged captures, `batch` per transaction.
let replicaPath = directory.appendingPathComponent("replica.sqlite").path
let store = try Store.open(path: replicaPath)
try store.initialize(node: NodeID(validating: "bench"))
let start = ContinuousClock.now
var captured = 0
while captured < total {
    let count = min(batch, total - captured)
    let edits = try (captured..<(captured + count)).map { i in
        (change: try Store.createChange(fields: rows[i], stage: .lead, tags: ["hannover-2026"]), record: ids[i])
    }
    try store.commit(edits)
    captured += count
}
let leadSyncSeconds = seconds(start)
try store.checkpoint()
let leadSyncBytes = diskBytes(replicaPath)

// 2. One transaction per lead, as `leadsync add` does (fsync each time): a smaller sample.
let single = min(1_000, total)
let singleStart = ContinuousClock.now
for i in 0..<single { _ = try store.add(fields: fields(total + i)) }
let singleSeconds = seconds(singleStart)

// 3. The ceiling: the same rows into a plain table, one prepared statement, one transaction.
let plainPath = directory.appendingPathComponent("plain.sqlite").path
var configuration = Configuration()
configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
let plain = try DatabasePool(path: plainPath, configuration: configuration)
let plainStart = ContinuousClock.now
try plain.write { db in
    try db.execute(sql: """
        CREATE TABLE lead (id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
                           company TEXT, job_title TEXT, city TEXT, event TEXT)
        """)
    let insert = try db.makeStatement(sql: "INSERT INTO lead VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    for i in 0..<total {
        let f = rows[i]
        try insert.execute(arguments: [
            ids[i].rawValue, f["first_name"], f["last_name"], f["email"], f["phone"],
            f["company"], f["job_title"], f["city"], f["event"],
        ])
    }
}
let plainSeconds = seconds(plainStart)
try plain.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
let plainBytes = diskBytes(plainPath)

func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%8.0f", Double(count) / seconds) }
print("leads: \(total), batch: \(batch) per transaction, synchronous=FULL, WAL")
print("                                   leads/s   bytes/lead   seconds")
print("leadsync capture (library)        \(rate(total, leadSyncSeconds))   \(String(format: "%10d", leadSyncBytes / total))   \(String(format: "%7.2f", leadSyncSeconds))")
print("leadsync add, 1 tx per lead       \(rate(single, singleSeconds))            -   \(String(format: "%7.2f", singleSeconds))  (\(single) leads)")
print("plain SQLite bulk insert (ceiling)\(rate(total, plainSeconds))   \(String(format: "%10d", plainBytes / total))   \(String(format: "%7.2f", plainSeconds))")
