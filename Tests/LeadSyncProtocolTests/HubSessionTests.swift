import LeadSyncCore
import LeadSyncProtocol
import Testing

/// The hub's state machine, driven by hand: no sockets, no database.
@Suite struct HubSessionTests {
    let limits = Limits(maxBatchOps: 3, maxBatchBytes: 10_000)

    @Test func fullSessionPushThenPull() throws {
        var session = HubSession(hubID: "hub-1", limits: limits)
        let hello = Fixture.hello(clock: VectorClock([Fixture.annaActor: 2]))
        #expect(session.receive(.hello(hello)) == .authenticate(hello))
        #expect(session.node == nil)
        let hubClock = VectorClock([Fixture.benActor: 4])
        #expect(session.authenticated(hubClock: hubClock, wall: 99)
            == .send(.welcome(Welcome(hub: "hub-1", clock: hubClock, wall: 99, limits: limits))))
        #expect(session.node == Fixture.anna)

        let ops = [Fixture.op(seq: 1), Fixture.op(seq: 2)]
        #expect(session.receive(.ops(ops)) == .apply(ops, node: Fixture.anna))
        let after = VectorClock([Fixture.annaActor: 2, Fixture.benActor: 4])
        #expect(session.applied(clock: after, applied: 2) == .send(.ack(after)))
        #expect(session.opsReceived == 2)

        #expect(session.receive(.done) == .fetch(missingFrom: hello.clock, after: 0, limit: 3))
        #expect(session.fetched(Fixture.entries(3)) == .sendOps(bodies: Array(repeating: "xxxxxxxxxx", count: 3)))
        let ackClock = VectorClock([Fixture.annaActor: 2, Fixture.benActor: 3])
        #expect(session.receive(.ack(ackClock)) == .fetch(missingFrom: hello.clock, after: 3, limit: 3))
        #expect(session.clientClock == ackClock)
        #expect(session.fetched(Fixture.entries(1, from: 4)) == .sendOps(bodies: ["xxxxxxxxxx"]))
        #expect(session.receive(.ack(after)) == .fetch(missingFrom: hello.clock, after: 4, limit: 3))
        #expect(session.fetched([]) == .finish(.done))
        #expect(session.isFinished)
        #expect(session.opsSent == 4)
        #expect(session.receive(.done) == .close)
    }

    @Test func firstMessageMustBeHello() {
        var session = HubSession(hubID: "h", limits: limits)
        guard case .finish(.error(let error)) = session.receive(.done) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .helloRequired)
        #expect(session.isFinished)
    }

    @Test func refusedAuthenticationEndsTheSession() {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        let error = ProtocolError(.revoked, "revoked")
        #expect(session.refused(error) == .finish(.error(error)))
        #expect(session.isFinished)
    }

    @Test func actorMustBelongToNode() {
        var session = HubSession(hubID: "h", limits: limits)
        var hello = Fixture.hello()
        hello.actor = Fixture.benActor
        guard case .finish(.error(let error)) = session.receive(.hello(hello)) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .unauthorized)
    }

    @Test func oversizedBatchIsRefusedBeforeApplying() {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        _ = session.authenticated(hubClock: VectorClock(), wall: 0)
        let ops = (1...4).map { Fixture.op(seq: UInt64($0)) }
        guard case .finish(.error(let error)) = session.receive(.ops(ops)) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .batchTooLarge)
    }

    @Test func storeRefusalEndsTheSession() {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        _ = session.authenticated(hubClock: VectorClock(), wall: 0)
        _ = session.receive(.ops([Fixture.op(seq: 2)]))
        let gap = ProtocolError(.seqGap, "gap")
        #expect(session.rejected(gap) == .finish(.error(gap)))
        #expect(session.opsReceived == 0)
    }

    static let outOfTurn: [Message] = [.ack(VectorClock()), .welcome(Welcome(hub: "x", clock: VectorClock(), wall: 0, limits: Limits()))]

    @Test(arguments: outOfTurn) func messagesOutOfTurnAreRefused(_ message: Message) {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        _ = session.authenticated(hubClock: VectorClock(), wall: 0)
        guard case .finish(.error(let error)) = session.receive(message) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .unexpectedMessage)
    }

    @Test func opsDuringPullAreRefused() {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        _ = session.authenticated(hubClock: VectorClock(), wall: 0)
        _ = session.receive(.done)
        _ = session.fetched(Fixture.entries(1))
        guard case .finish(.error(let error)) = session.receive(.ops([Fixture.op(seq: 1)])) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .unexpectedMessage)
    }

    @Test func peerErrorClosesWithoutAnswer() {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        #expect(session.receive(.error(ProtocolError(.internal, "bye"))) == .close)
        #expect(session.isFinished)
    }

    @Test func transportFailureIsReported() {
        var session = HubSession(hubID: "h", limits: limits)
        let timeout = ProtocolError(.timeout, "no hello")
        #expect(session.failed(timeout) == .finish(.error(timeout)))
        #expect(session.failed(timeout) == .close)
    }

    @Test func effectResultsOutOfOrderAreInternalErrors() {
        var session = HubSession(hubID: "h", limits: limits)
        guard case .finish(.error(let error)) = session.applied(clock: VectorClock(), applied: 0) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .internal)
    }
}
