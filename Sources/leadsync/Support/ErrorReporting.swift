import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncNetwork
import LeadSyncStore

/// A refusal by the command itself (bad argument shape, unusable home), worded for the user.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    /// How the process exits (default: a usage error).
    let status: ExitStatus

    init(_ description: String, status: ExitStatus = .usage) {
        self.description = description
        self.status = status
    }
}

extension LeadSync {
    /// Runs the command. Usage errors, `--help` and `--version` print as ArgumentParser prints them;
    /// any failure while running prints exactly one line, `Error: <message>`, on standard error and
    /// exits with the status ``ExitStatus/of(_:)`` gives it (a sync failure also says whether
    /// retrying helps).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch where Terminal.isArgumentParserError(error) {
            // `--help` runs a help command that throws; ExitCode and CleanExit end on purpose.
            exit(withError: error)
        } catch {
            let status = ExitStatus.of(error)
            let advice = error is SyncError ? " " + status.retryAdvice : ""
            Terminal.printError("Error: " + Terminal.oneLine(error) + advice)
            exit(withError: ExitCode(status.rawValue))
        }
    }
}

/// Standard output and error, and how errors read there.
enum Terminal {
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Errors ArgumentParser defines (help requests, usage errors, ExitCode, CleanExit): it knows
    /// how to print them. Several of its error types are internal, hence the check by module.
    static func isArgumentParserError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// A failure as one readable line: our own errors by their message, never a type dump.
    static func oneLine(_ error: any Error) -> String {
        let text: String
        switch error {
        case let error as StoreError: text = error.description
        case let error as LeadError: text = error.description
        case let error as IdentityError: text = error.description
        case let error as CLIError: text = error.description
        case let error as any LocalizedError: text = error.errorDescription ?? String(describing: error)
        default: text = String(describing: error)
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
