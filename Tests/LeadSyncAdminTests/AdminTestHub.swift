import Foundation
import LeadSyncTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A hub home with `hub serve --port 0 --admin-port 0` running as a subprocess of the built
/// binary, both ports read from its stdout. Blocking: use on a dedicated thread.
final class AdminTestHub: @unchecked Sendable {
    let root: TemporaryDirectory
    let home: String
    let process: Process
    let syncPort: Int
    let adminPort: Int

    /// Makes the hub home; `prepare` runs on it (registering nodes, tokens) before serving.
    /// `arguments` go to `hub serve` after the defaults (e.g. `--admin-tls`).
    init(_ label: String, arguments: [String] = [], prepare: (String) throws -> Void = { _ in }) throws {
        root = try TemporaryDirectory(label)
        home = root.appending("hub").path
        try Self.run(["hub", "init", "--home", home])
        try prepare(home)
        let stdout = Pipe()
        process = try LeadSyncBinary.start(
            ["hub", "serve", "--home", home, "--port", "0", "--admin-port", "0", "--plaintext", "--log-level", "error"] + arguments,
            stdout: stdout)
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while text.components(separatedBy: "\n").filter({ $0.contains("listening on 127.0.0.1:") }).count < 2, Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        func port(_ prefix: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.split(separator: ":").last ?? "") }
        }
        guard let sync = port("listening on 127.0.0.1:"), let admin = port("admin listening on 127.0.0.1:") else {
            kill(process.processIdentifier, SIGKILL)
            throw AdminTestHubError(output: text)
        }
        syncPort = sync
        adminPort = admin
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var base: String { "http://127.0.0.1:\(adminPort)" }

    /// SIGTERM, then the exit status (nil if still running after `seconds`).
    func terminate(within seconds: Double) -> Int32? {
        process.terminate()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Runs the binary; fails the test with its stderr when it fails.
    @discardableResult
    static func run(_ arguments: [String], home: String? = nil) throws -> String {
        let result = try LeadSyncBinary.run(arguments, home: home)
        try #require(result.succeeded, "leadsync \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    /// A GET (or POST with `form`) to the admin server without following redirects.
    func request(
        _ path: String, token: String? = nil, cookie: String? = nil, form: String? = nil
    ) throws -> (status: Int, headers: [String: String], body: String) {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        if let form {
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        let session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response as? HTTPURLResponse, error: error)
            done.signal()
        }.resume()
        try #require(done.wait(timeout: .now() + 60) == .success, "no answer to \(path) within 60 s")
        let (data, response, error) = box.get()
        let http = try #require(response, "no HTTP response for \(path): \(String(describing: error))")
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return (http.statusCode, headers, String(decoding: data ?? Data(), as: UTF8.self))
    }

    /// GET of a JSON document with the bearer token.
    func json(_ path: String, token: String) throws -> [String: Any] {
        let answer = try request(path, token: token)
        try #require(answer.status == 200, "\(path): \(answer.status) \(answer.body)")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
    }
}

struct AdminTestHubError: Error, CustomStringConvertible {
    let output: String
    var description: String { "hub serve did not report both ports: \(output)" }
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, HTTPURLResponse?, (any Error)?) = (nil, nil, nil)

    func set(data: Data?, response: HTTPURLResponse?, error: (any Error)?) { lock.withLock { value = (data, response, error) } }
    func get() -> (Data?, HTTPURLResponse?, (any Error)?) { lock.withLock { value } }
}
