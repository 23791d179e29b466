import Foundation
import LeadSyncCore
import LeadSyncExchange

/// A row read from the file and validated, ready for the store.
struct ReadRow: Sendable {
    var row: SourceRow
    var prepared: Result<PreparedLead, ImportRowError>
}

/// Reads and validates rows on a thread of its own while the store applies the rows before
/// them. Reading, mapping and validating need no database and are about a third of an import's
/// work, so on two cores they overlap with the writes. Rows travel in chunks, at most `depth` of
/// them waiting, so memory stays flat however large the file; applied chunks come back
/// (``recycle(_:)``) and are freed on the reading thread too, off the store's serial path.
final class ReadAhead: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[ReadRow]] = []
    /// Applied chunks, for the reading thread to free.
    private var spent: [[ReadRow]] = []
    private var failure: ExchangeError?
    private var finished = false
    private var cancelled = false
    private var running = true
    private let depth: Int

    /// Starts reading `source`. `defaults` are filled into every row where it has no value, and
    /// so is the lead source: `explicitSource`, else the format's `implicitSource` unless the first
    /// row shows that the file is a LeadSync export (whose rows carry every field they have).
    init<Source: ImportRecordSource>(
        _ source: Source, defaults: [String: String], explicitSource: String?, implicitSource: String, rules: RowRules,
        chunkSize: Int = 64, depth: Int = 2
    ) {
        self.depth = depth
        let reader = Handover<any ImportRecordSource>(source)
        let thread = Thread { [self] in
            produce(
                reader.take(), defaults: defaults, explicitSource: explicitSource, implicitSource: implicitSource,
                rules: rules, chunkSize: chunkSize)
        }
        thread.name = "leadsync import reader"
        thread.start()
    }

    /// The next chunk of rows in file order; nil at the end. Throws what made the rest of the
    /// file unreadable.
    func nextChunk() throws(ExchangeError) -> [ReadRow]? {
        condition.lock()
        while chunks.isEmpty && !finished { condition.wait() }
        guard !chunks.isEmpty else {
            let failure = failure
            condition.unlock()
            if let failure { throw failure }
            return nil
        }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        condition.unlock()
        return chunk
    }

    /// Hands an applied chunk back, to be freed on the reading thread.
    func recycle(_ chunk: consuming [ReadRow]) {
        condition.lock()
        spent.append(chunk)
        condition.unlock()
    }

    /// Stops the reader and waits until it has let go of the file. Call before the file closes.
    func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func produce(
        _ source: any ImportRecordSource, defaults: [String: String], explicitSource: String?, implicitSource: String, rules: RowRules,
        chunkSize: Int
    ) {
        var source = source
        var defaults = defaults
        var chunk: [ReadRow] = []
        chunk.reserveCapacity(chunkSize)
        var failure: ExchangeError?
        var first = true
        reading: while true {
            let row: SourceRow
            do throws(ExchangeError) {
                guard let next = try source.next() else { break reading }
                row = next
            } catch {
                failure = error
                break reading
            }
            if first {
                // Known after the first row: a LeadSync export gets no implicit source.
                if let value = explicitSource ?? (source.isLeadSyncExport ? nil : implicitSource) {
                    defaults[LeadField.source.rawValue] = value
                }
                first = false
            }
            let prepared: Result<PreparedLead, ImportRowError>
            do throws(ImportRowError) {
                prepared = .success(try PreparedLead(try row.draft.get(), defaults: defaults, rules: rules))
            } catch {
                prepared = .failure(error)
            }
            chunk.append(ReadRow(row: row, prepared: prepared))
            if chunk.count == chunkSize {
                guard hand(chunk) else { break reading }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        condition.lock()
        if !chunk.isEmpty { chunks.append(chunk) }
        self.failure = failure
        finished = true
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Queues a chunk, waiting while `depth` chunks are queued, and frees the applied ones;
    /// false once the import stopped.
    private func hand(_ chunk: [ReadRow]) -> Bool {
        condition.lock()
        while chunks.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else {
            condition.unlock()
            return false
        }
        chunks.append(chunk)
        condition.broadcast()
        var applied: [[ReadRow]] = []
        swap(&applied, &spent)
        condition.unlock()
        applied.removeAll()
        return true
    }
}

/// Passes a value that is not `Sendable` to the one thread that uses it from then on.
private final class Handover<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) {
        self.value = value
    }

    func take() -> Value {
        defer { value = nil }
        return value!
    }
}
