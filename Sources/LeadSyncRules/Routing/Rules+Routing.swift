extension Rules {
    /// The owner for a lead: the first `route` line, in file order, whose conditions all hold.
    ///
    /// Routing decides only; the caller applies it (on capture, when no owner was given) and
    /// records it as an ordinary field write.
    ///
    /// - Returns: The owner (a node name or an email address) and the route's 1-based line
    ///   number, or nil when no route matches.
    public func route(_ lead: LeadFacts) -> (owner: String, line: Int)? {
        guard let rule = routes.first(where: { $0.conditions.allSatisfy { $0.matches(lead) } }) else {
            return nil
        }
        return (rule.owner, rule.line)
    }
}
