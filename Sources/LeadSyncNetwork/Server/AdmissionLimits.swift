/// Quotas for connections that have not authenticated yet, so that clients which never say
/// `hello` (or say it wrong, over and over) cannot take the places of reps who do.
///
/// A connection is *pending* from accept until its `hello` is accepted, at most the hello timeout
/// (``LeadSyncProtocol/Limits/helloTimeoutMillis``). Pending connections count against these
/// quotas only; an authenticated session moves to its own slots (``LeadSyncProtocol/Limits/maxConnections``),
/// which pending connections can never fill. A connection over a quota gets `busy` and is closed at once.
public struct AdmissionLimits: Sendable, Hashable {
    /// Pending connections at once, from every address together.
    public var maxPending: Int
    /// Pending connections at once from one source IP address: one address re-opening
    /// connections as fast as it can, or holding thousands open, gets this many and no more.
    public var maxPendingPerAddress: Int

    public static let maxPendingDefault = 256
    /// Enough for a booth of reps behind one NAT syncing at the same moment (each is pending only
    /// until its `hello` is checked), a small share of `maxPending` for a flooding address.
    public static let maxPendingPerAddressDefault = 64

    public init(
        maxPending: Int = AdmissionLimits.maxPendingDefault,
        maxPendingPerAddress: Int = AdmissionLimits.maxPendingPerAddressDefault
    ) {
        self.maxPending = maxPending
        self.maxPendingPerAddress = maxPendingPerAddress
    }
}
