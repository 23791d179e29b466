/// Why the PostgreSQL hub could not do what was asked. Messages name the database by its
/// password-free form (``PostgresLocation/description``): a password never reaches a log line.
public enum PostgresHubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--database` value is not a `postgresql://USER@HOST:PORT/DB` URL.
    case invalidURL(String)
    /// The server could not be reached or refused the login.
    case unreachable(database: String, reason: String)
    /// The database holds no hub yet.
    case notAHub(database: String)
    /// `hub init` on a database that already holds a hub.
    case alreadyInitialized(database: String, hub: String)
    /// The database's schema is newer than this build knows.
    case schemaTooNew(database: String, version: Int, known: Int)
    /// A query failed; nothing of the request was committed.
    case database(String)

    public var description: String {
        switch self {
        case .invalidURL(let reason):
            "invalid --database URL: \(reason) (expected postgresql://USER@HOST:PORT/DATABASE; put the password in PGPASSWORD or a .pgpass file)"
        case .unreachable(let database, let reason):
            "cannot connect to \(database): \(reason); nothing was changed. Check that PostgreSQL runs there and that the user, database and password (PGPASSWORD, .pgpass) are right"
        case .notAHub(let database):
            "no hub in \(database): run 'leadsync hub init --database URL' first"
        case .alreadyInitialized(let database, let hub):
            "\(database) already holds hub \(hub); nothing was changed"
        case .schemaTooNew(let database, let version, let known):
            "\(database) has hub schema version \(version), but this leadsync knows only up to \(known): upgrade leadsync; nothing was changed"
        case .database(let message):
            "hub database error: \(message); nothing of this request was committed"
        }
    }
}
