/// One word of a rules line. Keywords are only recognised in bare tokens, so a quoted `"is"`
/// is a value, never an operator.
struct RulesToken: Sendable, Hashable {
    var text: String
    var quoted: Bool
}

/// Splits one line into tokens: runs of non-blank characters, or double-quoted values in which
/// `\"` stands for a quote and `\\` for a backslash. `#` outside quotes starts a comment that runs
/// to the end of the line.
struct RulesLexer {
    let file: String
    let line: Int

    /// The tokens of `source`, and the source with its comment and surrounding blanks removed
    /// (the text a score explanation shows).
    func tokenize(_ source: Substring) throws(RulesError) -> (tokens: [RulesToken], text: String) {
        var tokens: [RulesToken] = []
        var index = source.startIndex
        var textEnd = source.startIndex
        while index < source.endIndex {
            let character = source[index]
            if character.isWhitespace {
                index = source.index(after: index)
            } else if character == "#" {
                break
            } else if character == "\"" {
                let (token, next) = try quoted(source, from: index)
                tokens.append(token)
                index = next
                textEnd = next
            } else {
                let start = index
                while index < source.endIndex, !source[index].isWhitespace, source[index] != "#" {
                    index = source.index(after: index)
                }
                let word = String(source[start..<index])
                if word.contains("\"") {
                    throw error(word, "stray quote in '\(word)' (put the whole value in double quotes)")
                }
                tokens.append(RulesToken(text: word, quoted: false))
                textEnd = index
            }
        }
        let text = String(source[source.startIndex..<textEnd]).trimmingWhitespace()
        return (tokens, text)
    }

    private func quoted(
        _ source: Substring, from open: Substring.Index
    ) throws(RulesError) -> (RulesToken, Substring.Index) {
        var value = ""
        var index = source.index(after: open)
        while index < source.endIndex {
            let character = source[index]
            if character == "\\" {
                let escaped = source.index(after: index)
                guard escaped < source.endIndex, source[escaped] == "\"" || source[escaped] == "\\" else {
                    let shown = escaped < source.endIndex ? "\\\(source[escaped])" : "\\"
                    throw error(shown, "unknown escape '\(shown)' in a quoted value (use \\\" for a quote, \\\\ for a backslash)")
                }
                value.append(source[escaped])
                index = source.index(after: escaped)
            } else if character == "\"" {
                let next = source.index(after: index)
                if next < source.endIndex, !source[next].isWhitespace, source[next] != "#" {
                    let rest = String(source[open...].prefix { !$0.isWhitespace })
                    throw error(rest, "expected a blank after the closing quote in '\(rest)'")
                }
                return (RulesToken(text: value, quoted: true), next)
            } else {
                value.append(character)
                index = source.index(after: index)
            }
        }
        let shown = String(source[open...])
        throw error(shown, "unterminated quote in '\(shown)' (close the value with \")")
    }

    func error(_ token: String, _ message: String) -> RulesError {
        RulesError(file: file, line: line, token: token, message: message)
    }
}
