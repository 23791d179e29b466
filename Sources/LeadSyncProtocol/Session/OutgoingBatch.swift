/// Cuts a page of op-log entries down to what fits in one `ops` line.
public enum OutgoingBatch {
    /// The longest prefix of `entries` (at most `maxOps`) whose `ops` line stays within `maxBytes`;
    /// never empty when `entries` is not, so a single oversized operation still moves.
    public static func prefix(
        of entries: [(position: Int64, body: String)], maxOps: Int, maxBytes: Int
    ) -> (bodies: [String], lastPosition: Int64)? {
        guard let first = entries.first else { return nil }
        var bodies = [first.body]
        var lastPosition = first.position
        var size = LineCodec.opsOverhead + first.body.utf8.count
        for entry in entries.dropFirst() {
            let added = entry.body.utf8.count + 1
            guard bodies.count < maxOps, size + added <= maxBytes else { break }
            bodies.append(entry.body)
            lastPosition = entry.position
            size += added
        }
        return (bodies, lastPosition)
    }
}
