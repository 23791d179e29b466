import Foundation
import HTTPTypes
import Hummingbird
import LeadSyncHub
import Logging

/// Admin authentication: a bearer token or the sign-in cookie, checked against the store's admin
/// tokens on every request (a revoked token stops working at once).
extension AdminServer {
    /// Runs `body` with the admin token's name, or answers 401 (JSON) without running it.
    func authorized(_ request: Request, _ body: (String) async throws -> Response) async throws -> Response {
        do {
            guard let name = try await adminName(request) else {
                var response = try Self.json(ErrorResponse(error: "an admin token is required: send 'Authorization: Bearer TOKEN'"), status: .unauthorized)
                response.headers[.wwwAuthenticate] = "Bearer realm=\"leadsync-hub\""
                return response
            }
            return try await body(name)
        } catch let error as AdminRequestError {
            return try Self.json(ErrorResponse(error: error.description), status: .badRequest)
        }
    }

    /// Like ``authorized(_:_:)`` for pages: without a valid token the sign-in form, with 401.
    func page(_ request: Request, _ body: (String) async throws -> Response) async throws -> Response {
        do {
            guard let name = try await adminName(request) else {
                return Self.html(AdminPage.signIn(message: nil), status: .unauthorized)
            }
            return try await body(name)
        } catch let error as AdminRequestError {
            return Self.html(AdminPage.layout(title: "Bad request", body: "<p>\(AdminPage.escape(error.description))</p>"), status: .badRequest)
        }
    }

    /// The sign-in form's POST: a valid token opens a session and sets its cookie, then back to `/`.
    func signIn(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: Self.maxFormBytes)
        let form = Self.formFields(String(buffer: body))
        guard let token = form["token"], !token.isEmpty, try await store.authenticateAdmin(token: token) != nil else {
            logger.notice("admin sign-in refused")
            return Self.html(AdminPage.signIn(message: "That token is unknown or revoked."), status: .unauthorized)
        }
        let id = await sessions.open(token: token, now: now())
        var response = Self.redirect(to: "/")
        response.headers[.setCookie] = cookie(value: id, maxAge: configuration.sessionLifetimeSeconds)
        return response
    }

    func cookie(value: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (configuration.secureCookies ? "; Secure" : "")
    }

    /// The name of the admin token the request carries (header first, then cookie), if valid.
    func adminName(_ request: Request) async throws -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return try await store.authenticateAdmin(token: String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
        guard let id = request.cookies[Self.cookieName]?.value, let token = await sessions.token(for: id, now: now()) else {
            return nil
        }
        guard let name = try await store.authenticateAdmin(token: token) else {
            await sessions.close(id)
            return nil
        }
        return name
    }

    /// Fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let key = decode(parts[0]), let value = parts.count == 2 ? decode(parts[1]) : "" else { continue }
            fields[key] = value
        }
        return fields
    }
}

/// Prometheus text output helpers.
enum PrometheusText {
    /// Puts a `# HELP` line before each `# TYPE` line of a metric in `help` (the metrics API has no
    /// help text; `promtool check metrics` wants one).
    static func addingHelp(_ text: String, help: [String: String]) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE ") {
                let name = line.dropFirst("# TYPE ".count).split(separator: " ").first.map(String.init) ?? ""
                if let text = help[name] { lines.append("# HELP \(name) \(text)") }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
