import Foundation
import LeadSyncExchange
import Testing

/// Reads all records, failing the test on the first error.
func readAll(_ data: Data, chunkLimit: Int = .max, chunkSize: Int = 65_536) throws -> (header: CSVRecord, records: [CSVRecord]) {
    var reader = try CSVReader(source: DataByteSource(data, chunkLimit: chunkLimit), chunkSize: chunkSize)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return (reader.header, records)
}

@Suite("CSV reading")
struct CSVReaderTests {
    @Test("Semicolon delimiter with a UTF-8 byte order mark")
    func semicolonWithBOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("Vorname;Nachname;E-Mail\r\nJürgen;Müller;j@example.de\r\n".utf8))
        var reader = try CSVReader(data: data)
        #expect(reader.delimiter == .semicolon)
        #expect(reader.encoding == .utf8)
        #expect(reader.header == CSVRecord(fields: ["Vorname", "Nachname", "E-Mail"], line: 1))
        #expect(try reader.next() == CSVRecord(fields: ["Jürgen", "Müller", "j@example.de"], line: 2))
        #expect(try reader.next() == nil)
    }

    @Test("Windows-1252 input with umlauts, detected from the first chunk")
    func windows1252() throws {
        let bytes: [UInt8] = Array("Vorname;Nachname;Firma\r\nJ".utf8) + [0xFC] + Array("rgen;M".utf8) + [0xFC]
            + Array("ller;Stra".utf8) + [0xDF, 0x65, 0x20, 0x80, 0x20, 0x96, 0x20, 0x84, 0x51, 0x93] + Array("\r\n".utf8)
        var reader = try CSVReader(data: Data(bytes))
        #expect(reader.encoding == .windows1252)
        #expect(try reader.next()?.fields == ["Jürgen", "Müller", "Straße € – „Q“"])
    }

    @Test("Windows-1252 found only after the first chunk switches the decoder")
    func windows1252Late() throws {
        let bytes: [UInt8] = Array("a,b\nplain,ascii\n".utf8) + Array("x,".utf8) + [0xC4, 0x72, 0x67, 0x65, 0x72] + [0x0A]
        var reader = try CSVReader(source: DataByteSource(Data(bytes)), chunkSize: 8)
        #expect(reader.encoding == .utf8)
        #expect(try reader.next()?.fields == ["plain", "ascii"])
        #expect(try reader.next()?.fields == ["x", "Ärger"])
        #expect(reader.encoding == .windows1252)
    }

    static let multiline = Data(
        "name,notes,city\n\"Doe, John\",\"Line one\nLine \"\"two\"\"\nLine three\",Berlin\n\nAnna,plain,Hamburg\r\n\"Multi\r\nline\",\"\",\"y\"\r\nlast,a,b".utf8
    )

    @Test("Quoted fields with newlines and doubled quotes keep later line numbers right")
    func quotedMultiline() throws {
        let (header, records) = try readAll(Self.multiline)
        #expect(header.fields == ["name", "notes", "city"])
        #expect(records == [
            CSVRecord(fields: ["Doe, John", "Line one\nLine \"two\"\nLine three", "Berlin"], line: 2),
            CSVRecord(fields: ["Anna", "plain", "Hamburg"], line: 6),
            CSVRecord(fields: ["Multi\r\nline", "", "y"], line: 7),
            CSVRecord(fields: ["last", "a", "b"], line: 9),
        ])
    }

    @Test("Any chunking gives the same records", arguments: [1, 2, 3, 5, 7, 64])
    func chunking(chunkLimit: Int) throws {
        let whole = try readAll(Self.multiline)
        let chunked = try readAll(Self.multiline, chunkLimit: chunkLimit, chunkSize: chunkLimit)
        #expect(chunked.header == whole.header)
        #expect(chunked.records == whole.records)
    }

    @Test("Tab delimiter is detected; a forced delimiter wins")
    func tabs() throws {
        let data = Data("a\tb\tc,d\n1\t2\t3,4\n".utf8)
        var detected = try CSVReader(data: data)
        #expect(detected.delimiter == .tab)
        #expect(try detected.next()?.fields == ["1", "2", "3,4"])
        var forced = try CSVReader(data: data, delimiter: .comma)
        #expect(try forced.next()?.fields == ["1\t2\t3", "4"])
    }

    @Test("A wrong field count names the line and reading can go on")
    func fieldCount() throws {
        var reader = try CSVReader(data: Data("a,b,c\n1,2,3\n4,5\n6,7,8\n".utf8))
        #expect(try reader.next()?.line == 2)
        #expect(throws: ExchangeError.csvFieldCountMismatch(line: 3, expected: 3, found: 2)) { try reader.next() }
        #expect(try reader.next() == CSVRecord(fields: ["6", "7", "8"], line: 4))
        #expect(try reader.next() == nil)
    }

    @Test("An unterminated quote names the line and column and stops the reader")
    func unterminatedQuote() throws {
        var reader = try CSVReader(data: Data("Name,Notes\nAnn,ok\nBob,\"starts here\nand never ends\n".utf8))
        #expect(try reader.next()?.fields == ["Ann", "ok"])
        let expected = ExchangeError.csvUnterminatedQuote(line: 3, column: "Notes")
        #expect(throws: expected) { try reader.next() }
        #expect(throws: expected) { try reader.next() }
        #expect(expected.description == "line 3: unterminated quoted field starting in column \"Notes\"; a closing \" is missing")
    }

    @Test("Text after a closing quote is an error")
    func textAfterQuote() throws {
        var reader = try CSVReader(data: Data("a,b\n\"x\"y,z\n".utf8))
        #expect(throws: ExchangeError.csvTextAfterClosingQuote(line: 2, column: "a")) { try reader.next() }
    }

    @Test("Empty input has no header")
    func empty() {
        #expect(throws: ExchangeError.csvEmptyFile) { try CSVReader(data: Data()) }
        #expect(throws: ExchangeError.csvEmptyFile) { try CSVReader(data: Data([0xEF, 0xBB, 0xBF, 0x0A, 0x0A])) }
    }

    @Test("Leading blank lines are skipped but counted")
    func leadingBlankLines() throws {
        let (header, records) = try readAll(Data("\n\r\nx;y\n1;2".utf8))
        #expect(header == CSVRecord(fields: ["x", "y"], line: 3))
        #expect(records == [CSVRecord(fields: ["1", "2"], line: 4)])
    }

    @Test("Reads from a FileHandle")
    func fileHandle() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-\(UUID().uuidString).csv")
        try Data("a,b\n1,2\n3,4\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = try CSVReader(fileHandle: handle, chunkSize: 3)
        #expect(try reader.next()?.fields == ["1", "2"])
        #expect(try reader.next()?.fields == ["3", "4"])
        #expect(try reader.next() == nil)
    }
}
