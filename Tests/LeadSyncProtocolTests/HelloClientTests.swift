import LeadSyncCore
import LeadSyncProtocol
import Testing

/// `hello`'s optional `client` (the replica's build): older clients omit it, newer hubs keep it.
@Suite struct HelloClientTests {
    static let base = #"{"type":"hello","protocol":1,"node":"anna","actor":"anna~a1","token":"t","clock":{},"wall":1"#

    @Test func helloWithoutClientStillDecodes() throws {
        guard case .hello(let hello) = try LineCodec.decode(Array((Self.base + "}").utf8)) else {
            Issue.record("not a hello")
            return
        }
        #expect(hello.client == nil)
        #expect(!LineCodec.encode(.hello(hello)).contains("client"), "an absent client is not sent")
    }

    @Test func clientRoundTrips() throws {
        let line = Self.base + #","client":"leadsync 0.1.0"}"#
        guard case .hello(let hello) = try LineCodec.decode(Array(line.utf8)) else {
            Issue.record("not a hello")
            return
        }
        #expect(hello.client == "leadsync 0.1.0")
        #expect(try LineCodec.decode(Array(LineCodec.encode(.hello(hello)).utf8)) == .hello(hello))
    }
}
