import LeadSyncCore

extension Store {
    /// Commits `value` as the replicated setting `name` on a hub's store: an operation of a new
    /// actor of node `hub` on ``RecordID/settings`` (see ``LocalEditor/renewActor()``), which every
    /// replica receives. Returns nil, writing nothing, when the store holds this value already.
    /// The store must have the hub's identity.
    public func publishSetting(name: String, value: String) throws(StoreError) -> Op? {
        if try replicatedSetting(name) == value { return nil }
        return try editing { editor in
            // A new actor for every setting: see LocalEditor.renewActor().
            try editor.renewActor()
            return try editor.commit(.setting(name: name, value: value), to: .settings)
        }
    }
}
