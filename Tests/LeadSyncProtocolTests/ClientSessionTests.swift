import LeadSyncCore
import LeadSyncProtocol
import Testing

/// The client's state machine, driven by hand: no sockets, no database.
@Suite struct ClientSessionTests {
    let hubLimits = Limits(maxBatchOps: 2)

    func welcomed(clock: VectorClock = VectorClock([Fixture.annaActor: 3, Fixture.benActor: 5]), hubClock: VectorClock = VectorClock())
        -> ClientSession
    {
        var session = ClientSession(hello: Fixture.hello(clock: clock, wall: 1_000))
        _ = session.start()
        _ = session.receive(.welcome(Welcome(hub: "hub-1", clock: hubClock, wall: 1_250, limits: hubLimits)))
        return session
    }

    @Test func fullSessionPushThenPull() throws {
        let local = VectorClock([Fixture.annaActor: 3])
        var session = ClientSession(hello: Fixture.hello(clock: local, wall: 1_000))
        #expect(session.start() == .send(.hello(Fixture.hello(clock: local, wall: 1_000))))
        let hubClock = VectorClock([Fixture.annaActor: 1, Fixture.benActor: 2])
        let welcome = Welcome(hub: "hub-1", clock: hubClock, wall: 1_250, limits: hubLimits)
        #expect(session.receive(.welcome(welcome)) == .fetch(missingFrom: hubClock, after: 0, limit: 2))
        #expect(session.skewMillis == 250)
        #expect(session.fetched(Fixture.entries(2)) == .sendOps(bodies: ["xxxxxxxxxx", "xxxxxxxxxx"]))
        let acked = VectorClock([Fixture.annaActor: 3, Fixture.benActor: 2])
        #expect(session.receive(.ack(acked)) == .fetch(missingFrom: acked, after: 2, limit: 2))
        #expect(session.sent == 2)
        #expect(session.fetched([]) == .send(.done))

        let pulled = [Fixture.op(Fixture.benActor, seq: 1), Fixture.op(Fixture.benActor, seq: 2)]
        #expect(session.receive(.ops(pulled)) == .apply(pulled))
        let after = VectorClock([Fixture.annaActor: 3, Fixture.benActor: 2])
        #expect(session.applied(clock: after, applied: 0) == .send(.ack(after)))
        #expect(session.receive(.done) == .finish)
        #expect(session.isFinished)
        #expect(session.hubClock == after)
    }

    /// With a window of two, the client reads and sends the next batch while the hub applies the
    /// previous one; it says `done` only once every batch is acknowledged.
    @Test func pushKeepsTwoBatchesInFlight() {
        var session = welcomed(clock: VectorClock([Fixture.annaActor: 5]))
        let base = VectorClock()
        #expect(session.fetched(Fixture.entries(2)) == .sendOps(bodies: ["xxxxxxxxxx", "xxxxxxxxxx"]))
        #expect(session.sentOps() == .fetch(missingFrom: base, after: 2, limit: 2))
        #expect(session.fetched(Fixture.entries(2, from: 3)) == .sendOps(bodies: ["xxxxxxxxxx", "xxxxxxxxxx"]))
        // The window is full: wait for the first ack.
        #expect(session.sentOps() == .awaitLine)
        let first = VectorClock([Fixture.annaActor: 2])
        #expect(session.receive(.ack(first)) == .fetch(missingFrom: first, after: 4, limit: 2))
        #expect(session.sent == 2)
        #expect(session.fetched(Fixture.entries(1, from: 5)) == .sendOps(bodies: ["xxxxxxxxxx"]))
        #expect(session.sentOps() == .awaitLine)
        #expect(session.receive(.ack(VectorClock([Fixture.annaActor: 4]))) == .fetch(missingFrom: VectorClock([Fixture.annaActor: 4]), after: 5, limit: 2))
        // Nothing more to read, one batch still in flight.
        #expect(session.fetched([]) == .awaitLine)
        #expect(session.receive(.ack(VectorClock([Fixture.annaActor: 5]))) == .send(.done))
        #expect(session.sent == 5)
        #expect(session.batches == 3)
    }

    /// The first batch of a push is small, so the hub starts merging early; the next ones use the
    /// full limit the hub announced.
    @Test func theFirstBatchIsSmallAndTheNextOnesFull() {
        let limits = Limits(maxBatchOps: 5_000, maxBatchBytes: 1 << 20)
        var session = ClientSession(hello: Fixture.hello(), limits: limits)
        _ = session.start()
        let first = session.receive(.welcome(Welcome(hub: "h", clock: VectorClock(), wall: 0, limits: limits)))
        #expect(first == .fetch(missingFrom: VectorClock(), after: 0, limit: ClientSession.firstBatchOps))
        let firstBatch = Fixture.entries(ClientSession.firstBatchOps)
        guard case .sendOps(let bodies) = session.fetched(firstBatch) else {
            Issue.record("expected the first batch to be sent")
            return
        }
        #expect(bodies.count == ClientSession.firstBatchOps)
        #expect(session.sentOps() == .fetch(missingFrom: VectorClock(), after: Int64(ClientSession.firstBatchOps), limit: 5_000))

        // A hub that allows fewer operations than that gets its own limit from the start.
        var narrow = ClientSession(hello: Fixture.hello())
        _ = narrow.start()
        let small = narrow.receive(.welcome(Welcome(hub: "h", clock: VectorClock(), wall: 0, limits: Limits(maxBatchOps: 7))))
        #expect(small == .fetch(missingFrom: VectorClock(), after: 0, limit: 7))
    }

    /// An `ack` with no batch in flight, or a pulled batch while pushing, breaks the protocol.
    @Test func anAckWithNothingInFlightIsRefused() {
        var session = welcomed(clock: VectorClock([Fixture.annaActor: 5]))
        #expect(session.fetched(Fixture.entries(1)) == .sendOps(bodies: ["xxxxxxxxxx"]))
        #expect(session.sentOps() == .fetch(missingFrom: VectorClock(), after: 1, limit: 2))
        #expect(session.fetched([]) == .awaitLine)
        #expect(session.receive(.ack(VectorClock([Fixture.annaActor: 1]))) == .send(.done))
        guard case .fail(let error, true) = session.receive(.ack(VectorClock([Fixture.annaActor: 1]))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .unexpectedMessage)

        var pushing = welcomed(clock: VectorClock([Fixture.annaActor: 5]))
        _ = pushing.fetched(Fixture.entries(1))
        _ = pushing.sentOps()
        _ = pushing.fetched([])
        guard case .fail(let early, true) = pushing.receive(.ops([Fixture.op(Fixture.benActor, seq: 1)])) else {
            Issue.record("expected a failure")
            return
        }
        #expect(early.code == .unexpectedMessage)
    }

    @Test func pushSkipsOtherNodesOperations() {
        // The replica has ben's ops (from the hub), which the hub lacks only if it lost them:
        // pushing them would be refused as foreign_origin, so the push base covers them.
        var session = ClientSession(hello: Fixture.hello(clock: VectorClock([Fixture.annaActor: 3, Fixture.benActor: 5])))
        _ = session.start()
        let action = session.receive(.welcome(Welcome(hub: "h", clock: VectorClock(), wall: 0, limits: hubLimits)))
        #expect(action == .fetch(missingFrom: VectorClock([Fixture.benActor: 5]), after: 0, limit: 2))
    }

    @Test func hubErrorFailsWithoutAnswer() {
        var session = ClientSession(hello: Fixture.hello())
        _ = session.start()
        let refused = ProtocolError(.unauthorized, "wrong token")
        #expect(session.receive(.error(refused)) == .fail(refused, notifyHub: false))
        #expect(session.isFinished)
    }

    @Test func welcomeFromAnotherProtocolVersionIsRefused() {
        var session = ClientSession(hello: Fixture.hello())
        _ = session.start()
        let welcome = Welcome(protocol: 2, hub: "h", clock: VectorClock(), wall: 0, limits: Limits())
        guard case .fail(let error, let notify) = session.receive(.welcome(welcome)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .protocolMismatch && notify)
    }

    @Test func pulledBatchOverTheAnnouncedLimitIsRefused() {
        var session = welcomed()
        _ = session.fetched([])
        let ops = (1...3).map { Fixture.op(Fixture.benActor, seq: UInt64($0)) }
        guard case .fail(let error, true) = session.receive(.ops(ops)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .batchTooLarge)
    }

    @Test func localRefusalIsSentToTheHub() {
        var session = welcomed()
        _ = session.fetched([])
        _ = session.receive(.ops([Fixture.op(Fixture.benActor, seq: 2)]))
        let gap = ProtocolError(.seqGap, "gap")
        #expect(session.rejected(gap) == .fail(gap, notifyHub: true))
    }

    @Test func messagesOutOfTurnAreRefused() {
        var session = welcomed()
        guard case .fail(let error, true) = session.receive(.done) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .unexpectedMessage)
    }

    @Test func clientBatchesUseTheTighterLimits() {
        var session = ClientSession(hello: Fixture.hello(), limits: Limits(maxBatchOps: 500, maxBatchBytes: 40))
        _ = session.start()
        _ = session.receive(.welcome(Welcome(hub: "h", clock: VectorClock(), wall: 0, limits: Limits(maxBatchOps: 3))))
        // 40 bytes fit the overhead (24) and one 10-byte body only.
        #expect(session.fetched(Fixture.entries(5)) == .sendOps(bodies: ["xxxxxxxxxx"]))
    }
}
