import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import NIOCore

/// Drives one hub session: reads lines, feeds the ``HubSession`` state machine, and performs the
/// effects it asks for against the ``HubStore``.
struct HubConnection {
    let store: any HubStore
    let address: String?
    let logger: Logger
    let now: @Sendable () -> Int64
    let clockPolicy: ClockPolicy
    /// The connection's place among pending connections; it takes a session slot on authentication.
    let admission: AdmissionTicket
    var reader: LineReader
    let writer: LineWriter
    let channel: any Channel
    var machine: HubSession
    /// Set once authenticated: the node whose statistics this session updates.
    private var node: NodeID?
    /// The text of each operation of the last `ops` line, as received: stored as their log bodies.
    private var opTexts: [String]?
    private var succeeded = false
    /// What the admin server's session history keeps; set once authenticated.
    private var report: SessionReport?

    init(
        store: any HubStore, hubID: String, limits: Limits, clockPolicy: ClockPolicy, admission: AdmissionTicket,
        address: String?, logger: Logger,
        now: @escaping @Sendable () -> Int64, reader: LineReader, writer: LineWriter,
        channel: any Channel
    ) {
        self.clockPolicy = clockPolicy
        self.admission = admission
        self.channel = channel
        self.store = store
        self.address = address
        self.logger = logger
        self.now = now
        self.reader = reader
        self.writer = writer
        machine = HubSession(hubID: hubID, limits: limits)
    }

    mutating func run() async {
        defer { logger.debug("session ended", metadata: ["node": "\(node?.rawValue ?? "-")", "ok": "\(succeeded)"]) }
        defer { reader.releaseLine() }
        reading: while !machine.isFinished {
            var action: HubSession.Action
            switch await reader.next() {
            case .message(let message, _, let texts):
                opTexts = texts
                action = machine.receive(message)
                if case .ack = message, let node, let clock = machine.clientClock {
                    await record { try await $0.recordAcknowledged(node: node, clock: clock) }
                }
            case .invalid(let error, _):
                logger.info("refusing session: \(error)")
                action = machine.failed(error)
            case .closed:
                break reading
            case .broken(let reason):
                logger.debug("connection broken: \(reason)")
                break reading
            }
            performing: while true {
                switch action {
                case .authenticate(let hello):
                    action = await authenticate(hello)
                case .apply(let ops, let node):
                    if let refusal = clockPolicy.refusal(for: ops, now: now()) {
                        logger.notice("refused batch: \(refusal.message)")
                        action = machine.rejected(refusal)
                        continue performing
                    }
                    do {
                        let result = try await store.apply(ops, bodies: opTexts?.count == ops.count ? opTexts : nil, from: node)
                        report?.applied(result)
                        action = machine.applied(clock: result.clock, applied: result.applied)
                    } catch {
                        logger.info("refused batch: \(error)")
                        action = machine.rejected(error)
                    }
                case .fetch(let clock, let after, let limit):
                    do {
                        action = machine.fetched(try await store.operationBodies(missingFrom: clock, after: after, limit: limit))
                    } catch {
                        logger.error("cannot read the op log: \(error)")
                        action = machine.failed(ProtocolError(.internal, "the hub could not read its log; retry later"))
                    }
                case .send(let message):
                    guard await write(LineCodec.encode(message)) else { break reading }
                    break performing
                case .sendOps(let bodies):
                    report?.pulled += bodies.count
                    guard await write(LineCodec.encodeOps(bodies: bodies)) else { break reading }
                    action = machine.sentOps()
                case .awaitLine:
                    break performing
                case .finish(let message):
                    if message == .done { succeeded = true }
                    if case .error(let error) = message { report?.error = error }
                    let written = await write(LineCodec.encode(message))
                    if written, case .error = message { await channel.lingeringClose(timeout: .seconds(2)) }
                    break reading
                case .close:
                    break reading
                }
            }
        }
        if let node {
            let succeeded = succeeded
            await record { try await $0.sessionEnded(node: node, succeeded: succeeded) }
        }
        if let session = report?.record(ended: now(), succeeded: succeeded) {
            logger.info(
                "session finished",
                metadata: [
                    "node": "\(session.node)", "address": "\(session.address ?? "-")", "pushed": "\(session.pushed)",
                    "pulled": "\(session.pulled)", "duration_ms": "\(session.durationMillis)", "outcome": "\(session.outcome)",
                ])
            await record { try await $0.recordSession(session) }
        }
    }

    private mutating func authenticate(_ hello: Hello) async -> HubSession.Action {
        do {
            switch try await store.authenticate(node: hello.node, token: hello.token) {
            case .accepted:
                if let refusal = admission.authenticated() {
                    logger.notice("session cap reached", metadata: ["node": "\(hello.node)"])
                    return machine.refused(refusal)
                }
                let clock = try await store.clock()
                let wall = now()
                node = hello.node
                logger.info("session started", metadata: ["node": "\(hello.node)"])
                await record {
                    try await $0.sessionStarted(node: hello.node, address: address, skewMillis: hello.wall - wall, clock: hello.clock)
                }
                let started = SessionReport(node: hello.node, address: address, startedAt: wall, helloClock: hello.clock, hubClock: clock)
                report = started
                await record {
                    try await $0.recordContact(
                        node: hello.node, clientProtocol: hello.protocol, clientVersion: hello.client,
                        waitingOperations: started.waitingOperations)
                }
                return machine.authenticated(hubClock: clock, wall: wall)
            case .unknownNode, .wrongToken:
                logger.notice("unauthorized hello", metadata: ["node": "\(hello.node)"])
                return machine.refused(ProtocolError(.unauthorized, "unknown node '\(hello.node)' or wrong token"))
            case .revoked:
                logger.notice("revoked node tried to sync", metadata: ["node": "\(hello.node)"])
                return machine.refused(ProtocolError(.revoked, "node '\(hello.node)' has been revoked on this hub"))
            }
        } catch {
            logger.error("cannot authenticate: \(error)")
            return machine.refused(ProtocolError(.internal, "the hub could not check the token; retry later"))
        }
    }

    private func write(_ line: String) async -> Bool {
        do {
            try await writer.write(line)
            return true
        } catch {
            logger.debug("write failed: \(error)")
            return false
        }
    }

    /// Statistics are best effort: a failure is logged, never fatal to the session.
    private func record(_ body: (any HubStore) async throws -> Void) async {
        do { try await body(store) } catch { logger.warning("cannot record node statistics: \(error)") }
    }
}
