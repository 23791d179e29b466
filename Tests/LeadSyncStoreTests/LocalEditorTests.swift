import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

@Suite struct LocalEditorTests {
    func store() throws -> Store {
        let store = try Store.inMemory()
        try store.initialize(node: NodeID(validating: "anna"))
        return store
    }

    @Test func aDryRunWritesNothing() throws {
        let store = try store()
        var generator = SystemRandomNumberGenerator()
        let seen = try store.editing(commit: false) { editor in
            let id = RecordID.random(using: &generator)
            try editor.commit(try Store.createChange(fields: ["email": "a@example.com"], stage: .lead, tags: []), to: id)
            return try editor.leads(withEmail: "A@EXAMPLE.COM").count
        }
        #expect(seen == 1)
        #expect(try store.leads().isEmpty)
        #expect(try store.operationLog().isEmpty)
    }

    @Test func aFailureInTheMiddleRollsBackEverything() throws {
        let store = try store()
        var generator = SystemRandomNumberGenerator()
        #expect(throws: StoreError.self) {
            try store.editing { editor in
                try editor.commit(try Store.createChange(fields: ["last_name": "One"], stage: .lead, tags: []), to: RecordID.random(using: &generator))
                try editor.commit(.delete, to: RecordID.random(using: &generator))
            }
        }
        #expect(try store.leads().isEmpty)
        #expect(try store.clock() == VectorClock())
        // The replica keeps working after the rollback.
        _ = try store.add(fields: ["last_name": "Two"])
        #expect(try store.leads().count == 1)
        #expect(try store.integrityCheck().isEmpty)
    }

    /// A create names a new record: one whose id exists, live or erased, is refused and changes
    /// nothing, in the same transaction as in a later one.
    @Test func aCreateOfAnExistingRecordIsRefused() throws {
        let store = try store()
        var generator = SeededGenerator(seed: 5)
        let create = try Store.createChange(fields: ["last_name": "Keller"], stage: .lead, tags: [])
        let kept = RecordID.random(using: &generator)
        let erased = RecordID.random(using: &generator)
        try store.commit(create, to: kept)
        try store.commit(create, to: erased)
        _ = try store.erase(erased)
        let operations = try store.counts().operations

        #expect {
            try store.commit(create, to: kept)
        } throws: { error in
            guard case StoreError.invalidInput(let message) = error else { return false }
            return message.contains("already exists")
        }
        #expect {
            try store.editing { editor in
                let fresh = RecordID.random(using: &generator)
                try editor.commit(create, to: fresh)
                try editor.commit(create, to: fresh)
            }
        } throws: { error in
            guard case StoreError.invalidInput(let message) = error else { return false }
            return message.contains("already exists")
        }
        #expect {
            try store.commit(create, to: erased)
        } throws: { error in
            guard case StoreError.invalidInput(let message) = error else { return false }
            return message.contains("was erased")
        }
        #expect(try store.counts().operations == operations)
        #expect(try store.leads().count == 1)
        #expect(try store.integrityCheck().isEmpty)
    }
}
