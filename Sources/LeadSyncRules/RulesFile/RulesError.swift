/// Why a rules file was refused: the file, the 1-based line, the offending token and what was
/// expected. `description` is the one-line message for the user, e.g.
/// `rules.txt line 7: unknown field 'jobtitle' (expected one of first_name, …, or x_custom)`.
public struct RulesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name given to ``RulesFile/parse(_:name:)``.
    public var file: String
    /// The 1-based line number the problem is on.
    public var line: Int
    /// The key or token at fault, as written in the file (empty when the line ended too early).
    public var token: String
    /// What is wrong and what was expected, without the file and line prefix.
    public var message: String

    public init(file: String, line: Int, token: String, message: String) {
        self.file = file
        self.line = line
        self.token = token
        self.message = message
    }

    public var description: String { "\(file) line \(line): \(message)" }
}
