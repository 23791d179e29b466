import Foundation
import LeadSyncHub

/// The admin server's HTML: plain markup and one inline style sheet and script (no external
/// assets), every value escaped. Times are UTC ISO in `<time datetime>`, shown in the viewer's
/// time zone by the inline script when scripts run.
enum AdminPage {
    /// The page's only script: rewrites each `<time>` in the viewer's time zone. Its hash is in the
    /// Content-Security-Policy header, so no other script can run.
    static let script = """
        document.querySelectorAll("time[datetime]").forEach(function (t) { \
        var d = new Date(t.getAttribute("datetime")); if (!isNaN(d)) { t.textContent = d.toLocaleString(); } });
        """

    static let style = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:90rem;color:#1b1b1b}
        h1{font-size:1.3rem}h2{font-size:1.1rem}.wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}
        th a{color:inherit}td.num{text-align:right}tr.revoked{color:#888}.stale{background:#fff4e5}
        .err{color:#a40000;white-space:normal;max-width:24rem}form{margin:.75rem 0}input{width:5rem}
        .summary{padding:.5rem;background:#eef3fb;border-radius:4px}
        @media (max-width:40rem){body{font-size:14px;padding:.5rem}th,td{padding:.3rem}}
        """

    /// "leadsync 0.1.0 (protocol 1)", the protocol alone for clients that name no build, or "–".
    static func client(_ node: AdminNodeReport) -> String {
        let version = node.clientVersion.map(escape)
        switch (version, node.clientProtocol) {
        case (let version?, let proto?): return "\(version) (protocol \(proto))"
        case (let version?, nil): return version
        case (nil, let proto?): return "protocol \(proto)"
        case (nil, nil): return "–"
        }
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func layout(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title><style>\(style)</style></head>
        <body>\(body)<script>\(script)</script></body></html>
        """
    }

    static func time(_ millis: Int64?) -> String {
        guard let millis else { return "never" }
        let iso = Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
        return "<time datetime=\"\(iso)\">\(iso)</time>"
    }

    static func skew(_ millis: Int64?) -> String {
        guard let millis else { return "–" }
        return String(format: "%+.1f s", Double(millis) / 1000)
    }

    static func signIn(message: String?) -> String {
        layout(title: "LeadSync hub: sign in", body: """
            <h1>LeadSync hub</h1>
            \(message.map { "<p class=\"err\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/signin">
            <label>Admin token <input type="password" name="token" autocomplete="current-password" style="width:20rem" required></label>
            <button type="submit">Sign in</button></form>
            <p>Make a token on the hub machine with <code>leadsync hub admin-token create NAME</code>.</p>
            """)
    }

    static func status(report: AdminReport, rows: [AdminNodeReport], query: NodeQuery, now: Int64) -> String {
        let waiting = rows.reduce(UInt64(0)) { $0 + $1.waitingOnNode }
        let scope = query.staleHours.map { "not synced for more than \($0) hours" } ?? "in total"
        let summary = """
            <p class="summary" id="summary"><span id="shown">\(rows.count)</span> of \(report.nodes.count) nodes \(scope); \
            <span id="waiting-total">\(waiting)</span> operations waiting on their laptops.</p>
            """
        func header(_ title: String, _ key: NodeQuery.SortKey) -> String {
            "<th><a href=\"\(query.link(sortingBy: key))\">\(title)</a></th>"
        }
        let head = [
            header("Node", .node), header("State", .state), header("Last seen", .lastSeen),
            header("Last sync", .lastSync), "<th>Last address</th>", "<th>Client</th>", "<th>Clock skew</th>",
            header("Pushed", .pushed), header("Pulled", .pulled), header("Hub ahead", .hubAhead),
            header("Waiting on laptop", .waiting), header("Conflicts", .conflicts), "<th>Last error</th>",
        ].joined()
        let staleCutoff = now - 24 * 3_600_000
        let body = rows.map { node in
            let classes = ["node", node.state == "revoked" ? "revoked" : nil, (node.lastSyncAt ?? .min) < staleCutoff ? "stale" : nil]
                .compactMap { $0 }.joined(separator: " ")
            let name = escape(node.node)
            return """
                <tr class="\(classes)" data-node="\(name)"><td><a href="/nodes/\(name)">\(name)</a></td>\
                <td>\(escape(node.state))\(node.connected ? " (syncing)" : "")</td><td>\(time(node.lastSeenAt))</td>\
                <td>\(time(node.lastSyncAt))</td><td>\(escape(node.lastAddress ?? "–"))</td>\
                <td>\(client(node))</td><td>\(skew(node.skewMillis))</td>\
                <td class="num">\(node.opsPushed)</td><td class="num">\(node.opsPulled)</td>\
                <td class="num">\(node.hubAhead)</td><td class="num waiting">\(node.waitingOnNode)</td>\
                <td class="num">\(node.conflicts)</td><td class="err">\(escape(node.lastError ?? ""))</td></tr>
                """
        }.joined(separator: "\n")
        let staleValue = query.staleHours.map(String.init) ?? ""
        return layout(title: "LeadSync hub \(report.hub)", body: """
            <h1>LeadSync hub <code>\(escape(report.hub))</code></h1>
            <p>\(report.operations) operations, \(report.conflicts) open conflicts. Page made \(time(now)).</p>
            <form method="get" action="/"><label>Not synced for more than \
            <input type="number" name="stale_hours" min="0" max="1000000" value="\(staleValue)"> hours</label>
            <input type="hidden" name="sort" value="\(query.sort.rawValue)">
            <input type="hidden" name="order" value="\(query.descending ? "desc" : "asc")">
            <button type="submit">Filter</button> <a href="/">All nodes</a></form>
            \(summary)
            <div class="wrap"><table><thead><tr>\(head)</tr></thead><tbody>
            \(body)
            </tbody></table></div>
            <p><a href="/api/v1/nodes">JSON</a> · <a href="/metrics">metrics</a></p>
            <form method="post" action="/signout"><button type="submit">Sign out</button></form>
            """)
    }

    static func node(_ node: AdminNodeReport, sessions: [SessionRecord]) -> String {
        let rows = sessions.map { session in
            """
            <tr class="session"><td>\(time(session.startedAt))</td><td>\(time(session.endedAt))</td>\
            <td class="num">\(session.pushed)</td><td class="num">\(session.pulled)</td>\
            <td>\(escape(session.outcome))</td><td class="num">\(String(format: "%.3f s", Double(session.durationMillis) / 1000))</td>\
            <td>\(escape(session.address ?? "–"))</td><td class="err">\(escape(session.error ?? ""))</td></tr>
            """
        }.joined(separator: "\n")
        let name = escape(node.node)
        return layout(title: "LeadSync node \(node.node)", body: """
            <p><a href="/">← all nodes</a></p>
            <h1>Node <code>\(name)</code></h1>
            <p>\(escape(node.state)); last sync \(time(node.lastSyncAt)); \(node.hubAhead) operations hub ahead; \
            \(node.waitingOnNode) waiting on laptop; last address \(escape(node.lastAddress ?? "–")).</p>
            <h2>Recent sessions (newest first, last \(SessionRecord.historyLimit) kept)</h2>
            <div class="wrap"><table><thead><tr><th>Start</th><th>End</th><th>Pushed</th><th>Pulled</th><th>Outcome</th>\
            <th>Duration</th><th>Address</th><th>Error</th></tr></thead><tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"8\">no sessions recorded yet</td></tr>" : rows)
            </tbody></table></div>
            """)
    }
}
