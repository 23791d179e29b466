/// A malformed identifier, named so the user can fix it.
public enum IdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidNodeID(String)
    case invalidActorID(String)
    case invalidRecordID(String)

    public var description: String {
        switch self {
        case .invalidNodeID(let raw):
            "invalid node id '\(raw)': use 1-64 characters from a-z, 0-9, '.', '_' and '-'"
        case .invalidActorID(let raw):
            "invalid actor id '\(raw)': expected NODE~SUFFIX"
        case .invalidRecordID(let raw):
            "invalid lead id '\(raw)': expected a lower-case UUID"
        }
    }
}
