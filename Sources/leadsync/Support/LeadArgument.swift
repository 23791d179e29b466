import ArgumentParser
import LeadSyncCore
import LeadSyncStore

/// `ID` (a lead's full id or a unique prefix of it, like git) plus `--home`: the one declaration of
/// the argument every command that works on one lead takes, and of opening the replica and
/// resolving the id, so a new lead command is a few lines.
struct LeadArgument: ParsableArguments {
    @OptionGroup var home: HomeOptions

    @Argument(help: "The lead's id or a unique prefix of it.")
    var id: String

    /// Opens the replica for writing and finds the lead; refuses a hub's home, an unknown id or an
    /// ambiguous prefix.
    func openReplica() throws -> (store: Store, record: RecordID, identity: ReplicaIdentity) {
        let (store, identity) = try home.openReplica()
        return (store, try store.resolve(id), identity)
    }

    /// Opens a replica, or a hub's home, for reading and finds the lead.
    func openForReading() throws -> (store: Store, record: RecordID) {
        let store = try home.openForReading().store
        return (store, try store.resolve(id))
    }
}
