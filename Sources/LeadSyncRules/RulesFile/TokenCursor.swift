/// Reads the tokens of one line left to right, and words errors about them.
struct TokenCursor {
    let lexer: RulesLexer
    private let tokens: [RulesToken]
    private var position = 0

    init(_ tokens: [RulesToken], lexer: RulesLexer) {
        self.tokens = tokens
        self.lexer = lexer
    }

    var isAtEnd: Bool { position == tokens.count }

    /// The next token without consuming it.
    var peek: RulesToken? { isAtEnd ? nil : tokens[position] }

    /// The token before the next one, for messages such as "after 'country'".
    var previous: RulesToken? { position > 0 ? tokens[position - 1] : nil }

    mutating func next() -> RulesToken? {
        guard let token = peek else { return nil }
        position += 1
        return token
    }

    /// Consumes the next token if it is the bare keyword `word`.
    mutating func take(_ word: String) -> Bool {
        guard let token = peek, !token.quoted, token.text == word else { return false }
        position += 1
        return true
    }

    /// The next token, or an error saying what should have followed.
    mutating func require(_ expected: String) throws(RulesError) -> RulesToken {
        guard let token = next() else {
            let after = previous.map { " after '\($0.text)'" } ?? ""
            throw lexer.error("", "expected \(expected)\(after), but the line ends")
        }
        return token
    }

    /// The next token as a whole number in `range`.
    mutating func integer(
        _ what: String, in range: ClosedRange<Int>, suffix: String = ""
    ) throws(RulesError) -> Int {
        let token = try require("\(what) (a whole number)")
        var digits = Substring(token.text)
        if !suffix.isEmpty {
            guard digits.hasSuffix(suffix) else {
                throw lexer.error(token.text, "\(what) must be a number of days like 30\(suffix), got '\(token.text)'")
            }
            digits = digits.dropLast(suffix.count)
        }
        guard !token.quoted, let value = Int(digits) else {
            throw lexer.error(token.text, "\(what) must be a whole number, got '\(token.text)'")
        }
        guard range.contains(value) else {
            throw lexer.error(token.text, "\(what) must be between \(range.lowerBound) and \(range.upperBound), got '\(token.text)'")
        }
        return value
    }
}
