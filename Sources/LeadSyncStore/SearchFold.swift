import GRDB

/// How search compares text: the way a German user expects. Case is ignored, and ü = u = ue,
/// ö = o = oe, ä = a = ae, ß = ss (other accented Latin letters lose their accent): both the
/// searched text and the query are folded to one form, so "MÜLLER", "muller" and "Mueller" all
/// find "Müller". Registered on every connection as the SQL function `leadsync_fold(text)`.
public enum SearchFold {
    static let sqlFunctionName = "leadsync_fold"

    /// The folded form of `text`: lower-case ASCII where it can be, umlauts and their
    /// two-letter spellings collapsed to the base vowel.
    public static func fold(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                var byte = UInt8(scalar.value)
                if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { byte += 32 }
                append(byte, to: &output)
            } else if let folded = latin[scalar] {
                for byte in folded.utf8 { append(byte, to: &output) }
            } else {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    if let folded = latin[lower] {
                        for byte in folded.utf8 { append(byte, to: &output) }
                    } else {
                        output.append(contentsOf: String(lower).utf8)
                    }
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a byte, dropping the `e` of `ae`, `oe` and `ue` (the spelled-out umlauts).
    private static func append(_ byte: UInt8, to output: inout [UInt8]) {
        if byte == UInt8(ascii: "e"), let last = output.last,
           last == UInt8(ascii: "a") || last == UInt8(ascii: "o") || last == UInt8(ascii: "u")
        {
            return
        }
        output.append(byte)
    }

    /// Lower-case accented Latin letters and their base letters.
    private static let latin: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = ["ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ç": "c", "ñ": "n"]
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("èéêëēėęě", "e"), ("ìíîïīį", "i"), ("òóôõöōő", "o"), ("ùúûüūůűų", "u"),
            ("ýÿ", "y"), ("ćč", "c"), ("ďđ", "d"), ("ğ", "g"), ("ł", "l"), ("ńň", "n"), ("řŕ", "r"),
            ("śšş", "s"), ("ťţ", "t"), ("źżž", "z"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = base }
        }
        return table
    }()

    /// The SQL function, for a connection's `prepareDatabase`.
    static var sqlFunction: DatabaseFunction {
        DatabaseFunction(sqlFunctionName, argumentCount: 1, pure: true) { values in
            guard let text = String.fromDatabaseValue(values[0]) else { return nil }
            return fold(text)
        }
    }
}
