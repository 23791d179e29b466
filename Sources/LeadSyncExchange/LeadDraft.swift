import Foundation

/// A lead as it arrives from or goes to an external format, before validation by the store.
///
/// Parsers hand drafts over unvalidated so that the store stays the one place deciding what a
/// valid lead is; this library only trims whitespace and drops empty values.
public struct LeadDraft: Sendable, Hashable {
    /// Values keyed by LeadSync field name (see ``LeadFields``); custom fields use the `x_` prefix.
    public var fields: [String: String]
    /// Free-form labels, e.g. from vCard CATEGORIES or a CSV tags column.
    public var tags: [String]
    /// Free-form notes, one entry per note, e.g. vCard NOTE or a CSV description column.
    public var notes: [String]

    /// Creates a draft; values are stored as given, so callers building drafts by hand keep control.
    public init(fields: [String: String] = [:], tags: [String] = [], notes: [String] = []) {
        self.fields = fields
        self.tags = tags
        self.notes = notes
    }
}

extension LeadDraft {
    /// Sets `field` to the trimmed value, or leaves the draft alone when nothing is left after trimming.
    mutating func set(_ field: String, _ value: String?) {
        guard let value else { return }
        let clean = value.trimmed
        if !clean.isEmpty { fields[field] = clean }
    }

    /// Like ``set(_:_:)`` but never overwrites a value an earlier, more specific source provided.
    mutating func setIfAbsent(_ field: String, _ value: String?) {
        if fields[field] == nil { set(field, value) }
    }

    /// Appends a trimmed note unless it is empty.
    mutating func addNote(_ note: String) {
        let clean = note.trimmed
        if !clean.isEmpty { notes.append(clean) }
    }

    /// Appends a trimmed tag unless it is empty.
    mutating func addTag(_ tag: String) {
        let clean = tag.trimmed
        if !clean.isEmpty { tags.append(clean) }
    }

    /// True when no format-specific parser found anything worth importing.
    var isEmpty: Bool { fields.isEmpty && tags.isEmpty && notes.isEmpty }
}

extension StringProtocol {
    /// The value without leading and trailing whitespace or line breaks (Unicode White_Space).
    /// Hand-written because it runs for every CSV cell and Foundation's version is slow on Linux.
    var trimmed: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isBlank(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isBlank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex, end == scalars.endIndex { return String(self) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }
}

private func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x80 { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
    return scalar.properties.isWhitespace
}
