import Foundation

/// Runs blocking work (waiting on a subprocess, a pipe, a sleep) on its own thread, so it never
/// occupies one of the few threads of Swift's cooperative pool. On a 2-core machine, two tests
/// blocking there would stall every async test — and every in-process hub's timers would then see
/// clients that look idle.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
