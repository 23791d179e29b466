import LeadSyncHub

/// The filter and order the page and the API apply to the node list, from query parameters:
/// `stale_hours=N` keeps nodes with no successful sync in the last N hours (or never),
/// `sort=KEY` and `order=asc|desc` order the rows.
public struct NodeQuery: Sendable, Hashable {
    public enum SortKey: String, Sendable, CaseIterable {
        case node, state
        case lastSeen = "last_seen"
        case lastSync = "last_sync"
        case hubAhead = "hub_ahead"
        case waiting
        case pushed, pulled, conflicts
    }

    public var staleHours: Int?
    public var sort: SortKey = .node
    public var descending = false

    public init(staleHours: Int? = nil, sort: SortKey = .node, descending: Bool = false) {
        self.staleHours = staleHours
        self.sort = sort
        self.descending = descending
    }

    /// Parses the query parameters; a bad value is an error naming the parameter and what it takes.
    public init(parameters: [String: String]) throws(AdminRequestError) {
        if let text = parameters["stale_hours"], !text.isEmpty {
            guard let hours = Int(text), (0...1_000_000).contains(hours) else {
                throw .badParameter("stale_hours must be a whole number of hours from 0 to 1000000, not '\(text)'")
            }
            staleHours = hours
        }
        if let text = parameters["sort"], !text.isEmpty {
            guard let key = SortKey(rawValue: text) else {
                let keys = SortKey.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badParameter("sort must be one of \(keys), not '\(text)'")
            }
            sort = key
        }
        if let text = parameters["order"], !text.isEmpty {
            guard text == "asc" || text == "desc" else { throw .badParameter("order must be asc or desc, not '\(text)'") }
            descending = text == "desc"
        }
    }

    /// The rows this query selects, in its order; `now` in Unix milliseconds.
    public func apply(to nodes: [AdminNodeReport], now: Int64) -> [AdminNodeReport] {
        var rows = nodes
        if let staleHours {
            let cutoff = now - Int64(staleHours) * 3_600_000
            rows = rows.filter { ($0.lastSyncAt ?? .min) < cutoff }
        }
        rows.sort { lhs, rhs in
            let ordered = compare(lhs, rhs)
            if ordered == 0 { return lhs.node < rhs.node }
            return descending ? ordered > 0 : ordered < 0
        }
        return rows
    }

    private func compare(_ lhs: AdminNodeReport, _ rhs: AdminNodeReport) -> Int {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        return switch sort {
        case .node: order(lhs.node, rhs.node)
        case .state: order(lhs.state, rhs.state)
        case .lastSeen: order(lhs.lastSeenAt ?? .min, rhs.lastSeenAt ?? .min)
        case .lastSync: order(lhs.lastSyncAt ?? .min, rhs.lastSyncAt ?? .min)
        case .hubAhead: order(lhs.hubAhead, rhs.hubAhead)
        case .waiting: order(lhs.waitingOnNode, rhs.waitingOnNode)
        case .pushed: order(lhs.opsPushed, rhs.opsPushed)
        case .pulled: order(lhs.opsPulled, rhs.opsPulled)
        case .conflicts: order(lhs.conflicts, rhs.conflicts)
        }
    }

    /// The query string for these settings with `sort` replaced, for the page's column links.
    func link(sortingBy key: SortKey) -> String {
        let flip = key == sort && !descending
        var parts = ["sort=\(key.rawValue)", "order=\(flip ? "desc" : "asc")"]
        if let staleHours { parts.append("stale_hours=\(staleHours)") }
        return "?" + parts.joined(separator: "&amp;")
    }
}

/// A request the admin server refuses, with the message shown to the admin.
public enum AdminRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case badParameter(String)

    public var description: String {
        switch self {
        case .badParameter(let message): "bad query parameter: \(message)"
        }
    }
}
