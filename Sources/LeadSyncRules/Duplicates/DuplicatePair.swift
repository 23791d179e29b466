/// Why two leads look like the same person.
public enum DuplicateReason: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Equal ``DuplicateKeys/email``.
    case sameEmail
    /// Equal ``DuplicateKeys/phone``.
    case samePhone
    /// Equal ``DuplicateKeys/nameAndCompany``.
    case sameNameAndCompany

    public static func < (lhs: DuplicateReason, rhs: DuplicateReason) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Two leads that look like duplicates, with every reason that applies.
public struct DuplicatePair: Sendable, Hashable {
    /// The smaller of the two ids (Swift `String` ordering).
    public let first: String
    /// The larger of the two ids.
    public let second: String
    /// The reasons, sorted (`sameEmail`, `samePhone`, `sameNameAndCompany`), never empty.
    public let reasons: [DuplicateReason]

    public init(first: String, second: String, reasons: [DuplicateReason]) {
        self.first = first
        self.second = second
        self.reasons = reasons
    }
}
