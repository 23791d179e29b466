import Foundation

/// Reads vCard 2.1, 3.0 and 4.0 files, the format phones, CRMs and badge scanners export
/// contacts in, into drafts: one per card, in file order.
///
/// - Standard properties map to fields: N (or FN when N is missing) to names, ORG to company
///   and `x_department`, TITLE to job_title, ADR (the preferred or work one) to address fields,
///   URL to website, NOTE to notes, CATEGORIES to tags.
/// - Of several EMAIL/TEL/URL properties the preferred one (PREF parameter or `pref` type, lowest
///   number wins), else the work one, else the first fills the standard field; the others become
///   custom fields named after their type (`x_email_home`, `x_phone_cell`) or numbered
///   (`x_email_2`), never colliding.
/// - `X-LEADSYNC-*` properties written by ``VCardWriter`` restore the remaining fields.
/// - Text in 2.1 cards may be QUOTED-PRINTABLE and in UTF-8, ISO-8859-1/15 or Windows-1252;
///   values without CHARSET are read as UTF-8, or as Windows-1252 when they are not valid UTF-8.
public enum VCardParser {
    /// Parses every card in `data`; an empty or blank file gives no drafts.
    /// Throws with the line number for a card without END:VCARD, text outside cards,
    /// malformed content lines, broken QUOTED-PRINTABLE and unsupported charsets.
    public static func parse(_ data: Data) throws(ExchangeError) -> [LeadDraft] {
        let cards = try VCardLineReader.cards(in: [UInt8](data))
        var drafts: [LeadDraft] = []
        drafts.reserveCapacity(cards.count)
        for card in cards {
            var builder = VCardCardBuilder()
            for line in card.lines {
                try builder.add(VCardProperty(line))
            }
            drafts.append(builder.build())
        }
        return drafts
    }

    /// Convenience for payloads that are already text (QR codes, clipboard).
    public static func parse(_ text: String) throws(ExchangeError) -> [LeadDraft] {
        try parse(Data(text.utf8))
    }
}
