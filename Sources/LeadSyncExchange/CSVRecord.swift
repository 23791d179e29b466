import Foundation

/// One CSV record as read, before any mapping, with the line it starts on so that every later
/// problem (mapping, validation in the store) can point the user at the right spot in the file.
public struct CSVRecord: Sendable, Hashable {
    /// Field texts, unquoted and decoded, untrimmed.
    public var fields: [String]
    /// 1-based physical line where the record starts (records may span lines inside quotes).
    public var line: Int

    /// Creates a record, e.g. to map rows that did not come from a file.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// The text encoding a ``CSVReader`` decided the file is in.
public enum CSVTextEncoding: Sendable, Hashable {
    /// UTF-8, with or without byte order mark.
    case utf8
    /// Windows-1252 (also covers ISO-8859-1), what Excel on Windows writes as "CSV".
    case windows1252
}
