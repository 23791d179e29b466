import Foundation
import LeadSyncExchange
import Testing

@Suite("CSV streaming")
struct CSVStreamingTests {
    @Test("100,000 rows from a temp file in small chunks")
    func hundredThousandRows() throws {
        let rowCount = 100_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("leads.csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))

        // Every 1,000th row has a quoted two-line note. The last row is one of them, so it starts
        // 99 lines later than header plus row count alone would say.
        let writeHandle = try FileHandle(forWritingTo: url)
        var batch = "first_name;last_name;email;notes\r\n"
        for row in 1...rowCount {
            let note = row % 1_000 == 0 ? "\"Zeile eins\nZeile \"\"zwei\"\"\"" : "Notiz \(row)"
            batch += "Jürgen\(row);Müller;j\(row)@example.de;\(note)\r\n"
            if batch.utf8.count > 1 << 16 {
                try writeHandle.write(contentsOf: Data(batch.utf8))
                batch = ""
            }
        }
        try writeHandle.write(contentsOf: Data(batch.utf8))
        try writeHandle.close()

        let readHandle = try FileHandle(forReadingFrom: url)
        defer { try? readHandle.close() }
        var reader = try CSVReader(fileHandle: readHandle, chunkSize: 4_096)
        #expect(reader.delimiter == .semicolon)
        var count = 0
        var last: CSVRecord?
        var multiline = 0
        while let record = try reader.next() {
            count += 1
            if record.fields[3].contains("\n") { multiline += 1 }
            last = record
        }
        #expect(count == rowCount)
        #expect(multiline == rowCount / 1_000)
        let final = try #require(last)
        #expect(final.line == 1 + rowCount + (rowCount / 1_000 - 1))
        #expect(final.fields == ["Jürgen\(rowCount)", "Müller", "j\(rowCount)@example.de", "Zeile eins\nZeile \"zwei\""])
    }
}
