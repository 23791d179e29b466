import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncStore
import LeadSyncTestSupport
import NIOPosix
import Testing

/// A serving hub's store does not checkpoint on commit; the group committer copies the WAL into
/// the main file on another thread once enough operations were committed.
@Suite struct CheckpointTests {
    private func fileSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }

    @Test func aStoreWithoutAutomaticCheckpointsKeepsCommitsInTheWalUntilAskedToCopy() throws {
        let directory = try TemporaryDirectory("checkpoint")
        let path = directory.appending("hub.sqlite").path
        let store = try Store.open(path: path, automaticCheckpoints: false)
        _ = try store.initialize(node: NodeID(validating: "anna"))
        let before = try fileSize(path)
        var generator = SeededGenerator(seed: 3)
        try store.editing { editor in
            for index in 0..<6_000 {
                try editor.commit(.create(fields: [.standard(.lastName): "Lead \(index)"], stage: .lead, tags: []),
                                  to: RecordID.random(using: &generator))
            }
        }
        // Megabytes in the WAL, nothing copied into the main file yet.
        #expect(try fileSize(path + "-wal") > 1_000_000)
        #expect(try fileSize(path) == before)
        try store.passiveCheckpoint()
        #expect(try fileSize(path) > before + 1_000_000)
        #expect(try store.counts().leads == 6_000)
    }

    @Test func theGroupCommitterCheckpointsAfterItsInterval() async throws {
        let directory = try TemporaryDirectory("checkpoint-hub")
        let path = directory.appending("hub.sqlite").path
        let store = try Store.open(path: path, automaticCheckpoints: false)
        let registry = try NodeRegistry.inMemory()
        let anna = try NodeID(validating: "anna")
        _ = try registry.addNode(anna)
        let replica = try Store.inMemory()
        _ = try replica.initialize(node: anna)
        var generator = SeededGenerator(seed: 4)
        try replica.editing { editor in
            for index in 0..<2_000 {
                try editor.commit(.create(fields: [.standard(.lastName): "Lead \(index)"], stage: .lead, tags: []),
                                  to: RecordID.random(using: &generator))
            }
        }
        let ops = try replica.operations(missingFrom: VectorClock())
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let hub = SQLiteHubStore(store: store, registry: registry, threadPool: threadPool, checkpointInterval: 1_000)
        let before = try fileSize(path)
        for start in stride(from: 0, to: ops.count, by: 500) {
            _ = try await hub.apply(Array(ops[start..<(start + 500)]), bodies: nil, from: anna)
        }
        // The checkpoint runs in the background: wait for the main file to take the pages.
        var grown = false
        for _ in 0..<100 where !grown {
            grown = try fileSize(path) > before
            if !grown { try await Task.sleep(for: .milliseconds(50)) }
        }
        try await threadPool.shutdownGracefully()
        #expect(grown)
        #expect(try store.counts().leads == 2_000)
    }
}
