/// The rules file: one hand-written text file with thresholds, scoring points and routes.
///
/// The file is replicated to every replica verbatim and parsed the same way everywhere: the
/// parser depends on nothing but the text (no locale, no clock). The grammar is in
/// `RULES-FORMAT.md`; in short, one directive per line:
///
/// ```
/// threshold warm|hot|mql N
/// points N CONDITION [and CONDITION]…
/// route OWNER CONDITION [and CONDITION]…
/// ```
public enum RulesFile {
    /// Parses a rules file.
    ///
    /// - Parameters:
    ///   - text: The whole file. LF, CRLF and CR line endings are accepted; a leading BOM is ignored.
    ///   - name: The file name errors start with (`rules.txt line 7: …`).
    /// - Returns: The rules, keeping `text` verbatim in ``Rules/text`` for replication.
    /// - Throws: ``RulesError`` for the first problem found, top to bottom; threshold consistency
    ///   (`warm` below `hot`) is checked after all lines, on the line that set the later threshold.
    public static func parse(_ text: String, name: String = "rules") throws(RulesError) -> Rules {
        var parser = RulesParser(file: name)
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (offset, line) in lines.enumerated() {
            try parser.parse(line, number: offset + 1)
        }
        return try parser.finish(text: text, name: name)
    }
}

/// The state of one parse: what the lines so far have set.
struct RulesParser {
    let file: String
    private var thresholds: [String: (value: Int, line: Int)] = [:]
    private var scoring: [ScoringRule] = []
    private var routes: [RouteRule] = []

    init(file: String) {
        self.file = file
    }

    mutating func parse(_ source: Substring, number: Int) throws(RulesError) {
        let lexer = RulesLexer(file: file, line: number)
        let (tokens, text) = try lexer.tokenize(source)
        var cursor = TokenCursor(tokens, lexer: lexer)
        guard let directive = cursor.next() else { return }
        switch directive.quoted ? "" : directive.text {
        case "threshold":
            try parseThreshold(&cursor, line: number)
        case "points":
            let points = try cursor.integer("points", in: -ConditionParser.maxPoints...ConditionParser.maxPoints)
            let (conditions, activity) = try ConditionParser.parse(&cursor, directive: "points", allowActivity: true)
            scoring.append(ScoringRule(line: number, text: text, points: points, conditions: conditions, activity: activity))
        case "route":
            let owner = try cursor.require("an owner (a node name or an email address)")
            guard Self.isValidOwner(owner.text) else {
                throw lexer.error(owner.text, "bad owner '\(owner.text)' in route (expected a node name of a-z, 0-9, '.', '_', '-' up to 64 characters, or an email address)")
            }
            let (conditions, _) = try ConditionParser.parse(&cursor, directive: "route", allowActivity: false)
            routes.append(RouteRule(line: number, owner: owner.text, conditions: conditions))
        default:
            throw lexer.error(directive.text, "unknown directive '\(directive.text)' (expected threshold, points or route)")
        }
    }

    private mutating func parseThreshold(_ cursor: inout TokenCursor, line: Int) throws(RulesError) {
        let name = try cursor.require("warm, hot or mql")
        guard !name.quoted, ["warm", "hot", "mql"].contains(name.text) else {
            throw cursor.lexer.error(name.text, "unknown threshold '\(name.text)' (expected warm, hot or mql)")
        }
        if let earlier = thresholds[name.text] {
            throw cursor.lexer.error(name.text, "threshold '\(name.text)' is already set on line \(earlier.line)")
        }
        let value = try cursor.integer("threshold '\(name.text)'", in: -ConditionParser.maxPoints...ConditionParser.maxPoints)
        if let extra = cursor.next() {
            throw cursor.lexer.error(extra.text, "unexpected '\(extra.text)' after threshold '\(name.text) \(value)'")
        }
        thresholds[name.text] = (value, line)
    }

    func finish(text: String, name: String) throws(RulesError) -> Rules {
        let defaults = Thresholds.defaults
        let warm = thresholds["warm"]
        let hot = thresholds["hot"]
        let warmValue = warm?.value ?? defaults.warm
        let hotValue = hot?.value ?? defaults.hot
        if warmValue >= hotValue {
            let warmShown = warm == nil ? "\(warmValue), the default" : "\(warmValue)"
            let hotShown = hot == nil ? "\(hotValue), the default" : "\(hotValue)"
            let (key, line) = (warm?.line ?? 0) > (hot?.line ?? 0) ? ("warm", warm!.line) : ("hot", hot!.line)
            throw RulesError(
                file: file, line: line, token: key,
                message: "threshold 'warm' (\(warmShown)) must be below 'hot' (\(hotShown))")
        }
        return Rules(
            name: name, text: text,
            thresholds: Thresholds(warm: warmValue, hot: hotValue, mql: thresholds["mql"]?.value ?? defaults.mql),
            scoring: scoring, routes: routes)
    }

    /// A node name `[a-z0-9._-]{1,64}`, or an email address: one `@` with a non-empty local part
    /// and a dotted domain, no blanks or quotes, at most 254 characters.
    static func isValidOwner(_ owner: String) -> Bool {
        let bytes = Array(owner.utf8)
        let isNodeByte = { (byte: UInt8) in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        if (1...64).contains(bytes.count), bytes.allSatisfy(isNodeByte) { return true }
        let parts = owner.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, bytes.count <= 254, let local = parts.first, let domain = parts.last,
              !local.isEmpty, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
              !owner.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "," || $0 == "<" || $0 == ">" })
        else { return false }
        return true
    }
}
