@testable import LeadSyncNetwork
import Testing

/// The hub-wide budget of decoded lines: never lends more than it holds (a line larger than all of
/// it passes alone), serves waiting sessions in arrival order, and gets every byte back.
@Suite struct DecodeBudgetTests {
    @Test func lendsNoMoreThanItHoldsAndServesInOrder() async throws {
        let budget = DecodeBudget(bytes: 100)
        await budget.take(60)
        #expect(budget.available == 40)
        let order = Order()
        let first = Task {
            await budget.take(50)
            await order.append("first")
        }
        try await waitUntil { budget.waiting == 1 }
        // Would fit now, but must queue behind the first.
        let second = Task {
            await budget.take(30)
            await order.append("second")
        }
        try await waitUntil { budget.waiting == 2 }
        #expect(budget.available == 40)
        budget.give(60)
        await first.value
        await second.value
        #expect(await order.names == ["first", "second"])
        #expect(budget.available == 20)
        budget.give(50)
        budget.give(30)
        #expect(budget.available == 100)
    }

    @Test func aLineLargerThanTheBudgetPassesAlone() async throws {
        let budget = DecodeBudget(bytes: 100)
        await budget.take(10)
        let large = Task { await budget.take(1_000) }
        try await waitUntil { budget.waiting == 1 }
        budget.give(10)
        await large.value
        #expect(budget.available == 0)
        budget.give(1_000)
        #expect(budget.available == 100)
    }

    private actor Order {
        var names: [String] = []
        func append(_ name: String) { names.append(name) }
    }

    /// Polls a condition the tasks above reach on their own; bounded.
    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<2_000 where !condition() {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(condition())
    }
}
