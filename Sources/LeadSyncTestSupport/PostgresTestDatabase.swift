import Foundation
import LeadSyncHubPostgres

/// A fresh PostgreSQL database for one test, on the server `Scripts/test.sh` starts
/// (`LEADSYNC_TEST_POSTGRES_URL`, password in `PGPASSFILE`). Without that server a PostgreSQL test
/// FAILS with a message saying how to get one: it is never skipped.
public struct PostgresTestDatabase: Sendable {
    /// The new database's location (no password in it; the password file supplies it).
    public let location: PostgresLocation

    /// The URL to pass as `--database`.
    public var url: String { location.description }

    /// The server's location, from the environment.
    public static func server() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["LEADSYNC_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw PostgresTestError(
                "LEADSYNC_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server. Run them with Scripts/test.sh, "
                    + "or start one with 'Scripts/postgres-cluster.sh start DIR' and source DIR/env")
        }
        return try PostgresLocation(url: url)
    }

    /// Creates a database with a random name; drop it with ``drop()``.
    public static func create() async throws -> PostgresTestDatabase {
        let server = try server()
        let name = "leadsync_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = try await PostgresHubDatabase.connect(server, maxConnections: 1)
        do {
            try await admin.executeUnsafe("CREATE DATABASE \(name)")
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        return PostgresTestDatabase(location: server.with(database: name))
    }

    /// Drops the database, closing whatever connections are still open to it.
    public func drop() async throws {
        let admin = try await PostgresHubDatabase.connect(try Self.server(), maxConnections: 1)
        do {
            try await admin.executeUnsafe("DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }
}

/// Runs `body` with a fresh database, dropped afterwards whether `body` succeeded or not.
@discardableResult
public func withPostgresTestDatabase<T>(_ body: (PostgresTestDatabase) async throws -> T) async throws -> T {
    let database = try await PostgresTestDatabase.create()
    do {
        let value = try await body(database)
        try await database.drop()
        return value
    } catch {
        try? await database.drop()
        throw error
    }
}

public struct PostgresTestError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
