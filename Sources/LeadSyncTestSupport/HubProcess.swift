import Foundation

/// `leadsync hub serve --port 0` as a subprocess, with the port read from its first stdout line.
/// It serves TLS with the home's certificate unless `arguments` say otherwise (`--plaintext`,
/// `--tls-cert FILE --tls-key FILE`).
/// Its methods block: call them on a dedicated thread (``onDedicatedThread(_:)``), never on the
/// cooperative pool.
public final class HubProcess: @unchecked Sendable {
    public let process: Process
    public let port: Int

    /// - Parameter stderr: where the hub's log goes (unread by default: keep the log level at
    ///   `error`, or read this pipe, so a chatty hub never blocks on a full pipe).
    public init(home: String, arguments: [String] = [], stderr: Pipe = Pipe()) throws {
        let stdout = Pipe()
        process = try LeadSyncBinary.start(
            ["hub", "serve", "--home", home, "--port", "0", "--log-level", "error"] + arguments, stdout: stdout,
            stderr: stderr)
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n"), Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        guard line.hasPrefix("listening on 127.0.0.1:"), let port = Int(line.split(separator: ":").last ?? "") else {
            kill(process.processIdentifier, SIGKILL)
            throw HubProcessError(output: text)
        }
        self.port = port
    }

    public var pid: pid_t { process.processIdentifier }

    /// Sends SIGTERM and waits (bounded) for the exit; returns the exit status.
    public func terminate(within seconds: Double) throws -> Int32? {
        process.terminate()
        return waitForExit(within: seconds)
    }

    /// SIGKILL unless it already died, then waits (bounded) for the exit; returns the exit status
    /// (negative: the signal that ended it), nil if it is still running after `seconds`.
    @discardableResult
    public func kill9(within seconds: Double) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        return waitForExit(within: seconds)
    }

    public func waitForExit(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard !process.isRunning else { return nil }
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

public struct HubProcessError: Error, CustomStringConvertible {
    public let output: String
    public var description: String { "hub serve did not report its port: \(output)" }
}
