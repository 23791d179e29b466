import Foundation
import GRDB
import GRDBSQLite

/// A value bound to a statement parameter on the apply path.
enum SQLArgument {
    case int(Int64)
    case text(String)
    case null

    static func text(_ value: String?) -> SQLArgument {
        value.map(SQLArgument.text) ?? .null
    }
}

/// A GRDB-cached statement driven through the SQLite C API. The apply path runs several
/// statements for every operation; GRDB's argument boxing and row copies cost more than SQLite
/// itself there. Statements are prepared (and cached) by GRDB; only binding and stepping are direct.
struct DirectStatement {
    private let statement: Statement

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Runs a statement that returns no rows.
    func execute(_ arguments: SQLArgument...) throws {
        try execute(arguments)
    }

    func execute(_ arguments: [SQLArgument]) throws {
        try run(arguments) { true }
    }

    /// Runs a query and calls `row` for each result row; read its columns with ``int64(_:)`` and
    /// ``text(_:)`` inside the closure only.
    func forEachRow(_ arguments: SQLArgument..., row: () throws -> Void) throws {
        try run(arguments) {
            try row()
            return true
        }
    }

    /// Like ``forEachRow(_:row:)``, stopping at the first row for which `row` returns false.
    func forEachRow(_ arguments: SQLArgument..., while row: () throws -> Bool) throws {
        try run(arguments, row)
    }

    /// Binds `arguments`, steps while rows come and `row` returns true, and resets the statement.
    private func run(_ arguments: [SQLArgument], _ row: () throws -> Bool) throws {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        while try step(), try row() {}
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// Appends a text column's bytes (nothing for NULL) without making a `String` of them.
    func appendText(_ column: Int32, to bytes: inout [UInt8]) {
        guard let start = sqlite3_column_text(handle, column) else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column))))
    }

    private func bind(_ arguments: [SQLArgument]) throws {
        sqlite3_reset(handle)
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch argument {
            case .int(let value):
                code = sqlite3_bind_int64(handle, index, value)
            case .null:
                code = sqlite3_bind_null(handle, index)
            case .text(var value):
                // Bound with its length, so SQLite keeps a NUL; but C strings, and GRDB reading a
                // column back, end at one. Text with a NUL never gets this far (LeadValidator
                // refuses it); should it, the statement fails instead of storing what reads back cut.
                code = value.withUTF8 { bytes in
                    if let start = bytes.baseAddress, memchr(start, 0, bytes.count) != nil { return SQLITE_MISMATCH }
                    return sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), transient)
                }
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    private func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw failure(code)
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// SQLite copies the bound bytes (`SQLITE_TRANSIENT`), so the Swift string may go away right after.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
