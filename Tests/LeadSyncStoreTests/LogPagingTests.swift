import LeadSyncCore
import LeadSyncStore
import Testing

/// A pull reads the log page by page, each page starting after the last one's position: the pages
/// together must be exactly what one read returns, for a peer that lacks everything and for one
/// that has part of each actor's operations.
@Suite struct LogPagingTests {
    @Test(arguments: [1, 3, 7, 100])
    func pagesTogetherAreOneRead(limit: Int) throws {
        let anna = try Store.inMemory()
        let ben = try Store.inMemory()
        let hub = try Store.inMemory()
        try anna.initialize(node: NodeID(validating: "anna"))
        try ben.initialize(node: NodeID(validating: "ben"))
        for index in 0..<12 {
            _ = try anna.add(fields: ["last_name": "A\(index)"])
            _ = try ben.add(fields: ["last_name": "B\(index)"])
            // Interleaved in the hub's log, a few operations at a time.
            if index % 3 == 2 {
                _ = try hub.apply(try anna.operations(missingFrom: hub.clock()))
                _ = try hub.apply(try ben.operations(missingFrom: hub.clock()))
            }
        }
        var partial = VectorClock()
        for (actor, seq) in try hub.clock().entries { partial[actor] = actor.node.rawValue == "anna" ? seq / 2 : seq / 3 }
        for peer in [VectorClock(), partial] {
            let whole = try hub.operationBodies(missingFrom: peer, limit: .max)
            var paged: [(position: Int64, body: String)] = []
            while true {
                let page = try hub.operationBodies(missingFrom: peer, after: paged.last?.position ?? 0, limit: limit)
                #expect(page.count <= limit)
                guard !page.isEmpty else { break }
                paged += page
            }
            #expect(!whole.isEmpty)
            #expect(paged.map(\.position) == whole.map(\.position))
            #expect(paged.map(\.body) == whole.map(\.body))
        }
    }
}
