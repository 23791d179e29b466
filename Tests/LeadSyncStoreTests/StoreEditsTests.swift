import LeadSyncCore
import LeadSyncStore
import Testing

@Suite struct StoreEditsTests {
    private func replica() throws -> Store {
        let store = try Store.inMemory()
        try store.initialize(node: NodeID(validating: "anna"))
        return store
    }

    @Test func editChangesSplitFieldsFromTheStageAndValidateEverything() throws {
        let changes = try Store.editChanges([
            FieldAssignment(field: "city", value: " Hamburg "), FieldAssignment(field: "phone", value: ""),
            FieldAssignment(field: "lifecycle_stage", value: "MQL"), FieldAssignment(field: "x_size", value: "200"),
        ])
        #expect(changes == [
            .set([.standard(.city): "Hamburg", .standard(.phone): "", .custom("x_size"): "200"]),
            .stage(.mql),
        ])
        #expect(try Store.editChanges([FieldAssignment(field: "city", value: "Kiel")]).count == 1)
        #expect(throws: StoreError.invalidInput(LeadError.unknownField("shoe").description)) {
            try Store.editChanges([FieldAssignment(field: "city", value: "Kiel"), FieldAssignment(field: "shoe", value: "1")])
        }
        #expect(throws: StoreError.invalidInput(LeadError.invalidEmail("nope").description)) {
            try Store.editChanges([FieldAssignment(field: "email", value: "nope")])
        }
        #expect(throws: StoreError.self) { try Store.editChanges([FieldAssignment(field: "lifecycle_stage", value: "")]) }
        #expect(throws: StoreError.self) { try Store.editChanges([FieldAssignment(field: "tags", value: "vip")]) }
        #expect(throws: StoreError.self) {
            try Store.editChanges([FieldAssignment(field: "city", value: "A"), FieldAssignment(field: "city", value: "B")])
        }
        #expect(throws: StoreError.self) { try Store.editChanges([]) }
    }

    @Test func severalChangesCommitTogetherOrNotAtAll() throws {
        let store = try replica()
        let id = try store.add(fields: ["last_name": "Muster"], note: "first contact")
        #expect(try store.operationLog().map(\.seq) == [1, 2])
        #expect(try store.activities(for: id).map(\.text) == ["first contact"])

        let ops = try store.edit(id, [FieldAssignment(field: "city", value: "Ulm"), FieldAssignment(field: "lifecycle_stage", value: "sql")])
        #expect(ops.map(\.seq) == [3, 4])
        #expect(try store.lead(id)?.stage == .sql)

        // The second change fails (the lead exists already): the first is rolled back with it.
        #expect(throws: StoreError.self) {
            try store.commit([.set([.standard(.city): "Bonn"]), .create(fields: [:], stage: .lead, tags: [])], to: id)
        }
        #expect(try store.lead(id)?[.city] == "Ulm")
        #expect(try store.operationLog().count == 4)
        #expect(try store.integrityCheck() == [])
    }

    @Test func deleteAndRestoreWriteOnlyWhenTheStateChanges() throws {
        let store = try replica()
        let id = try store.add(fields: ["company": "Acme"])
        #expect(try store.setDeleted(true, id) != nil)
        #expect(try store.setDeleted(true, id) == nil)
        #expect(try store.lead(id)?.deleted == true)
        #expect(try store.setDeleted(false, id) != nil)
        #expect(try store.setDeleted(false, id) == nil)
        #expect(try store.operationLog().count == 3)
    }

    @Test func tagsAndNotesAreValidated() throws {
        let store = try replica()
        let id = try store.add(fields: ["company": "Acme"])
        try store.addTags(["vip", "fair", "vip"], to: id)
        #expect(try store.lead(id)?.tags == ["fair", "vip"])
        try store.removeTags(["fair"], from: id)
        #expect(try store.lead(id)?.tags == ["vip"])
        #expect(throws: StoreError.self) { try store.addTags(["two words"], to: id) }
        #expect(throws: StoreError.self) { try store.addTags([], to: id) }
        #expect(throws: StoreError.self) { try store.addNote("  \n ", to: id) }
        try store.addNote("  call back  \n", to: id)
        #expect(try store.activities(for: id).map(\.text) == ["call back"])
    }
}
