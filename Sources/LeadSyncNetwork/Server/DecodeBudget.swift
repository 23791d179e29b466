import Synchronization

/// How many bytes of received lines the hub decodes and holds, decoded, at once, across all its
/// sessions. A pushed batch decoded into operations takes several times its line's size and waits
/// for the group commit; with hundreds of replicas pushing together, those waiting batches were most
/// of the hub's memory. A session takes its line's bytes from here once the line has arrived (so
/// a slow client never holds any) and gives them back when its reply is written; a line larger
/// than the whole budget still passes alone. Waiting sessions are served in arrival order.
final class DecodeBudget: Sendable {
    private struct State {
        var available: Int
        var waiting: [(bytes: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var start = 0
    }

    private let capacity: Int
    private let state: Mutex<State>

    init(bytes capacity: Int) {
        precondition(capacity > 0, "a decode budget needs room for at least one byte")
        self.capacity = capacity
        state = Mutex(State(available: capacity))
    }

    /// Waits until `bytes` are free and takes them; more than the capacity waits for all of it.
    func take(_ bytes: Int) async {
        let bytes = min(bytes, capacity)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.start == state.waiting.count, state.available >= bytes {
                    state.available -= bytes
                    return true
                }
                state.waiting.append((bytes, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Gives back what ``take(_:)`` took and lets the sessions waiting first go on, in order.
    func give(_ bytes: Int) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.available += min(bytes, capacity)
            var ready: [CheckedContinuation<Void, Never>] = []
            while state.start < state.waiting.count, state.waiting[state.start].bytes <= state.available {
                state.available -= state.waiting[state.start].bytes
                ready.append(state.waiting[state.start].continuation)
                state.start += 1
            }
            if state.start == state.waiting.count {
                state.waiting.removeAll(keepingCapacity: true)
                state.start = 0
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Bytes free now, and sessions waiting for theirs; for tests.
    var available: Int { state.withLock { $0.available } }
    var waiting: Int { state.withLock { $0.waiting.count - $0.start } }
}
