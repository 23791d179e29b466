import LeadSyncCore

extension DuplicateKeys {
    /// Remembers what folding gave for each distinct text while the keys of many leads are made.
    /// First names, last names, companies and e-mail domains repeat across a fair's leads, and
    /// folding them (Unicode decomposition, IDNA) cost more than everything else `duplicates` does
    /// at 50,000 leads. The results are exactly those of the static functions.
    struct Folding {
        private var names: [String: String] = [:]
        private var companies: [String: String] = [:]
        /// `@` and the domain as ``LeadValidator/emailIdentity(_:)`` leaves them, by the domain as written.
        private var domains: [Substring: String] = [:]

        mutating func nameKey(_ name: String) -> String {
            if let known = names[name] { return known }
            let key = DuplicateKeys.nameKey(name)
            names[name] = key
            return key
        }

        mutating func companyKey(_ company: String) -> String {
            if let known = companies[company] { return known }
            let key = DuplicateKeys.companyKey(company)
            companies[company] = key
            return key
        }

        /// ``DuplicateKeys/emailKey(_:)``, with the domain's part of the identity remembered.
        /// `emailIdentity` lower-cases the local part and the canonical domain scalar by scalar,
        /// so the identity of `local@domain` is the lower-cased local part followed by the
        /// identity of `@domain`.
        mutating func emailKey(_ email: String) -> String? {
            let trimmed = email.trimmingWhitespace()
            guard let at = trimmed.lastIndex(of: "@") else { return DuplicateKeys.emailKey(email) }
            let domain = trimmed[trimmed.index(after: at)...]
            let domainIdentity = domains[domain] ?? LeadValidator.emailIdentity("@" + domain)
            domains[domain] = domainIdentity
            return DuplicateKeys.emailKey(identity: trimmed[..<at].lowercased() + domainIdentity)
        }
    }
}
