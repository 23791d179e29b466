import Foundation

/// Where a PostgreSQL hub lives: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. The password
/// comes from the URL, else `PGPASSWORD`, else a `.pgpass`-style file (`PGPASSFILE`, default
/// `~/.pgpass`); ``description`` never shows it, so a location can be logged and put in errors.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// Never printed; nil when the server asks for none (trust) or none was found.
    public var password: String?
    /// `sslmode=require` (or `verify-full`): connect over TLS, verifying the server's certificate.
    public var requireTLS: Bool

    /// Parses `url`; `environment` supplies `PGPASSWORD`, `PGPASSFILE` and `HOME`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresHubError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme.lowercased())
        else {
            throw .invalidURL("it must start with postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL("it names no host") }
        guard let user = components.user, !user.isEmpty else { throw .invalidURL("it names no user (postgresql://USER@HOST/DB)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw .invalidURL("it names no database (postgresql://USER@HOST/DB)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .invalidURL("port \(port) is out of range") }
        var requireTLS = false
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"), ("sslmode", "prefer"), ("sslmode", "allow"): requireTLS = false
            case ("sslmode", "require"), ("sslmode", "verify-ca"), ("sslmode", "verify-full"): requireTLS = true
            default: throw .invalidURL("unknown parameter '\(item.name)' (only sslmode is understood)")
            }
        }
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.requireTLS = requireTLS
        password = components.password ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(environment).flatMap { PasswordFile(text: $0).password(host: host, port: port, database: database, user: user) }
    }

    /// The same server and user, another database (tests create and drop their own).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL without the password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(shownHost):\(port)/\(database)"
    }

    private static func passwordFile(_ environment: [String: String]) -> String? {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A `.pgpass` file: lines `host:port:database:user:password`, `*` matching anything, `\:` and
/// `\\` escaping; the first matching line wins.
struct PasswordFile {
    let entries: [[String]]

    init(text: String) {
        entries = text.split(whereSeparator: \.isNewline).compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":", fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            return fields.count == 5 ? fields : nil
        }
    }

    func password(host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host, String(port), database, user]
        return entries.first { entry in zip(entry, wanted).allSatisfy { $0 == "*" || $0 == $1 } }?[4]
    }
}
