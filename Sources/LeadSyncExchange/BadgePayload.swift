import Foundation

/// Turns what a scanned trade-fair badge QR code holds into a draft.
///
/// Badge printers use whatever their vendor likes, so the payload is recognised by shape:
/// a vCard (`BEGIN:VCARD`, exactly one card), a MECARD (`MECARD:`), a `mailto:` link (the
/// `?query` is ignored, `%XX` decoded, further addresses become `x_email_2`…), a plain email
/// address, or `Name <address>`. The draft's `source` is left to the caller, which knows
/// whether the code was on a badge or a business card.
public enum BadgePayload {
    /// Parses one scanned code; throws a message naming the supported formats when the text
    /// is none of them (e.g. a ticket number or a web link).
    public static func parse(_ text: String) throws(ExchangeError) -> LeadDraft {
        let payload = text.trimmed
        guard !payload.isEmpty else { throw .badgeEmpty }
        if hasPrefix(payload, "BEGIN:VCARD") {
            let drafts = try VCardParser.parse(Data(payload.utf8))
            guard drafts.count == 1, let draft = drafts.first else { throw .badgeMultipleCards(count: drafts.count) }
            guard !draft.isEmpty else { throw .badgeNoContactData(format: "vCard") }
            return draft
        }
        if hasPrefix(payload, "MECARD:") {
            return try MECardParser.parse(payload.dropFirst("MECARD:".count))
        }
        if hasPrefix(payload, "mailto:") {
            return try parseMailto(payload.dropFirst("mailto:".count))
        }
        if looksLikeEmail(payload) {
            return LeadDraft(fields: ["email": payload])
        }
        if payload.hasSuffix(">"), let open = payload.lastIndex(of: "<") {
            let address = payload[payload.index(after: open)..<payload.index(before: payload.endIndex)].trimmed
            if looksLikeEmail(address) {
                var draft = LeadDraft(fields: ["email": address])
                let name = payload[..<open].trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                let (first, last) = VCardText.splitFullName(name)
                draft.set("first_name", first)
                draft.set("last_name", last)
                return draft
            }
        }
        throw .badgeUnrecognized(excerpt: ExchangeError.excerpt(payload))
    }

    private static func parseMailto(_ link: Substring) throws(ExchangeError) -> LeadDraft {
        let addressPart = link.prefix { $0 != "?" }
        let decoded = try percentDecode(addressPart)
        var draft = LeadDraft()
        var counter = 1
        for address in decoded.split(separator: ",") {
            let clean = address.trimmed
            guard !clean.isEmpty else { continue }
            if draft.fields["email"] == nil {
                draft.set("email", clean)
            } else {
                counter += 1
                draft.set("x_email_\(counter)", clean)
            }
        }
        guard !draft.isEmpty else { throw .badgeNoContactData(format: "mailto:") }
        return draft
    }

    /// RFC 3986 percent-decoding over UTF-8 bytes (Windows-1252 if the result is not UTF-8).
    static func percentDecode(_ text: some StringProtocol) throws(ExchangeError) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                out.append(bytes[index])
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexDigit(bytes[index + 1]), let low = hexDigit(bytes[index + 2]) else {
                throw .badgeInvalidPercentEncoding(excerpt: ExchangeError.excerpt(text))
            }
            out.append(high << 4 | low)
            index += 3
        }
        return TextDecoding.utf8OrWindows1252(out)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        Character(Unicode.Scalar(byte)).hexDigitValue.map { UInt8($0) }
    }

    /// Recognition, not validation: one `@` with text on both sides and no whitespace.
    /// The store validates addresses with its own rules and messages.
    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" })
    }

    private static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.count >= prefix.count && text.prefix(prefix.count).caseInsensitiveCompare(prefix) == .orderedSame
    }
}
