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

        // The second batch goes before the first is acknowledged (the pull window is 2); `done`
        // only once both are.
        #expect(session.receive(.done) == .fetch(missingFrom: hello.clock, after: 0, limit: 3))
        #expect(session.fetched(Fixture.entries(3)) == .sendOps(bodies: Array(repeating: "xxxxxxxxxx", count: 3)))
        #expect(session.sentOps() == .fetch(missingFrom: hello.clock, after: 3, limit: 3))
        #expect(session.fetched(Fixture.entries(1, from: 4)) == .sendOps(bodies: ["xxxxxxxxxx"]))
        #expect(session.sentOps() == .awaitLine)
        let ackClock = VectorClock([Fixture.annaActor: 2, Fixture.benActor: 3])
        #expect(session.receive(.ack(ackClock)) == .fetch(missingFrom: hello.clock, after: 4, limit: 3))
        #expect(session.clientClock == ackClock)
        #expect(session.fetched([]) == .awaitLine)
        #expect(!session.isFinished)
        #expect(session.receive(.ack(after)) == .finish(.done))
        #expect(session.isFinished)
        #expect(session.opsSent == 4)
        #expect(session.receive(.done) == .close)
    }

    /// Whatever the order of the client's acks and the log's pages, the hub never has more than
    /// ``HubSession/pullWindow`` batches unacknowledged, sends every page once and in order, and
    /// says `done` only after the last batch is acknowledged.
    @Test(arguments: [1, 2, 5, 9]) func pullNeverRunsMoreThanTheWindowAhead(pages: Int) {
        var session = HubSession(hubID: "h", limits: limits)
        _ = session.receive(.hello(Fixture.hello()))
        _ = session.authenticated(hubClock: VectorClock(), wall: 0)
        var action = session.receive(.done)
        var sentPages = 0
        var unacknowledged = 0
        var mostUnacknowledged = 0
        var positions: [Int64] = []
        for _ in 0..<100 {
            switch action {
            case .fetch(_, let after, _):
                positions.append(after)
                let remaining = pages - sentPages
                action = session.fetched(remaining > 0 ? Fixture.entries(3, from: Int64(sentPages * 3 + 1)) : [])
            case .sendOps:
                sentPages += 1
                unacknowledged += 1
                mostUnacknowledged = max(mostUnacknowledged, unacknowledged)
                action = session.sentOps()
            case .awaitLine:
                #expect(unacknowledged > 0)
                unacknowledged -= 1
                action = session.receive(.ack(VectorClock()))
            case .finish(let message):
                #expect(message == .done)
                #expect(unacknowledged == 0, "done before the last ack")
                action = .close
            default:
                Issue.record("unexpected \(action)")
                action = .close
            }
            if action == .close { break }
        }
        #expect(session.isFinished)
        #expect(sentPages == pages)
        #expect(mostUnacknowledged == min(pages, HubSession.pullWindow))
        #expect(positions == (0...pages).map { Int64($0 * 3) })
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
