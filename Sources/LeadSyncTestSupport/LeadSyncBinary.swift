import Foundation

/// The result of running the built `leadsync` binary.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public var succeeded: Bool { status == 0 }
}

/// Runs the real `leadsync` executable as a subprocess, the way users and scripts do.
public enum LeadSyncBinary {
    /// The built binary: `$LEADSYNC_BIN`, else `leadsync` next to the running test bundle.
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["LEADSYNC_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("leadsync")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/leadsync")
    }

    /// Starts the binary without waiting; the caller owns the process.
    public static func start(
        _ arguments: [String], home: String? = nil, environment: [String: String] = [:],
        stdout: Pipe = Pipe(), stderr: Pipe = Pipe(), stdin: Pipe? = nil, workingDirectory: String? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = url
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LEADSYNC_HOME")
        if let home { env["LEADSYNC_HOME"] = home }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = stdout
        process.standardError = stderr
        if let stdin { process.standardInput = stdin }
        try process.run()
        return process
    }

    /// Runs the binary to completion with `home` as `$LEADSYNC_HOME` and optional standard input.
    @discardableResult
    public static func run(
        _ arguments: [String], home: String? = nil, environment: [String: String] = [:], input: String? = nil,
        workingDirectory: String? = nil
    ) throws -> CommandResult {
        let out = Pipe()
        let err = Pipe()
        let inPipe = input.map { _ in Pipe() }
        let process = try start(
            arguments, home: home, environment: environment, stdout: out, stderr: err, stdin: inPipe,
            workingDirectory: workingDirectory)
        if let input, let inPipe {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
