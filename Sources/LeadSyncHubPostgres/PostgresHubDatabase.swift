import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// A pool of connections to the hub's PostgreSQL database, running for as long as the value is
/// open. Every error leaves as a ``PostgresHubError`` naming the database without its password.
public final class PostgresHubDatabase: Sendable {
    public let location: PostgresLocation
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Opens a pool of at most `maxConnections` and checks that the server answers, so a wrong URL
    /// or password fails here, with a message, instead of at the first sync.
    public static func connect(
        _ location: PostgresLocation, maxConnections: Int = 8, logger: Logger = Logger(label: "leadsync.postgres")
    ) async throws(PostgresHubError) -> PostgresHubDatabase {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        if location.requireTLS {
            configuration.tls = .require(.makeClientConfiguration())
        }
        configuration.options.maximumConnections = maxConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        try await probe(location)
        return PostgresHubDatabase(location: location, client: PostgresClient(configuration: configuration), logger: logger)
    }

    /// One direct connection and `SELECT 1`: the pool would retry a refused login until its circuit
    /// breaker trips and then report only that; this says at once what the server said.
    private static func probe(_ location: PostgresLocation) async throws(PostgresHubError) {
        do {
            var configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable)
            if location.requireTLS {
                configuration.tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration.options.connectTimeout = .seconds(5)
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 0, logger: Logger(label: "leadsync.postgres.probe"))
            do {
                try await connection.query("SELECT 1", logger: Logger(label: "leadsync.postgres.probe"))
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            throw .unreachable(database: location.description, reason: reason(error))
        }
    }

    private init(location: PostgresLocation, client: PostgresClient, logger: Logger) {
        self.location = location
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    /// Closes every connection; the value must not be used afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Runs `body` in one transaction (READ COMMITTED): committed when it returns, rolled back
    /// when it throws.
    func transaction<T: Sendable>(
        _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws(PostgresHubError) -> T {
        try await mapErrors {
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let value = try await body(connection, logger)
                    try await connection.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Runs `body` on one connection, each statement in its own transaction.
    func connection<T: Sendable>(_ body: (PostgresConnection, Logger) async throws -> T) async throws(PostgresHubError) -> T {
        try await mapErrors { try await client.withConnection { try await body($0, logger) } }
    }

    /// Runs one statement and returns how many rows it returned (`RETURNING 1` counts changed rows).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws(PostgresHubError) -> Int {
        try await connection { connection, logger in try await Self.execute(query, on: connection, logger: logger) }
    }

    static func execute(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(query, logger: logger) { count += 1 }
        return count
    }

    func mapErrors<T>(_ body: () async throws -> T) async throws(PostgresHubError) -> T {
        do {
            return try await body()
        } catch let error as PostgresHubError {
            throw error
        } catch {
            throw .database(Self.reason(error))
        }
    }

    /// What went wrong, from the server's message or the connection's failure. PostgresNIO's own
    /// description hides everything (so that no query text leaks); this keeps the server's words,
    /// which never contain the password.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresHubError { return error.description }
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                let code = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
                return "the connection failed\(cause)"
            case .authMechanismRequiresPassword:
                return "the server asks for a password and none was given"
            case .sslUnsupported:
                return "the server does not offer TLS (sslmode=require)"
            default:
                return "PostgreSQL client error \(error.code)"
            }
        }
        return String(describing: error)
    }
}

extension PostgresHubDatabase {
    /// Runs SQL text built by the caller (no binds): for statements that take no parameters, such
    /// as CREATE DATABASE in test support. Never pass it user input.
    public func executeUnsafe(_ sql: String) async throws(PostgresHubError) {
        try await execute(PostgresQuery(unsafeSQL: sql))
    }
}
