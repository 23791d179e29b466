import Foundation
import LeadSyncCore
import LeadSyncExchange
import LeadSyncStore

/// Imports a CSV or vCard file into a replica: reads and applies it row by row inside ONE
/// store transaction, so memory stays flat for any file size and the import is all or nothing.
/// Rows are read and validated a little ahead, on a thread of their own (``ReadAhead``).
///
/// Every row is validated by the store's rules. By default an invalid value is set aside (kept in
/// an `x_<field>_raw` field where it fits, listed in the summary and the warnings file) and only a
/// row with nothing to identify a person is left out (to the rejected file). With `strict` and
/// without `skipInvalid`, a single invalid row rolls everything back, but the whole file is still
/// read so that every bad row is reported.
/// Duplicates are found by e-mail (ignoring case) among existing leads and the rows imported
/// before in the same transaction.
public struct LeadImporter {
    public let store: Store
    public let options: ImportOptions

    public init(store: Store, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    /// Imports `file`. Invalid rows are not errors of this call: they are in the summary, whose
    /// ``ImportSummary/outcome`` says whether anything was written. Throws ``ImportError`` when
    /// the file cannot be read as a whole (missing, not CSV/vCard, a broken quote) or the
    /// store fails; then nothing is written.
    ///
    /// - Parameter progress: called at most ten times a second while rows are applied.
    public func run(file: URL, progress: ((ImportProgress) -> Void)? = nil) throws(ImportError) -> ImportSummary {
        let path = file.path
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw .cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let head: [UInt8]
        do {
            head = [UInt8](try handle.read(upToCount: 512) ?? Data())
            try handle.seek(toOffset: 0)
        } catch {
            throw .cannotRead(path: path, reason: error.localizedDescription)
        }
        let format = options.format ?? ImportFormat.detect(path: path, head: head)
        let counter = ByteCounter()
        let byteSource = CountingByteSource(base: FileHandleByteSource(handle), counter: counter)
        let rejectedURL = options.rejectedFile ?? ImportOptions.defaultRejectedFile(for: file, format: format)
        let warnings = WarningsFileWriter(destination: options.warningsFile ?? ImportOptions.defaultWarningsFile(for: file))
        let run = Run(
            importer: self, summary: ImportSummary(file: path, format: format), counter: counter, totalBytes: totalBytes,
            warnings: warnings, progress: progress)

        switch format {
        case .csv:
            let reader: CSVReader
            do {
                reader = try CSVReader(source: byteSource)
            } catch {
                throw .exchange(error)
            }
            let mapping: ColumnMapping
            do {
                mapping = try ColumnMapping(header: reader.header.fields, overrides: try overrides(for: reader.header.fields, file: file))
            } catch {
                throw .exchange(error)
            }
            let source = CSVImportSource(reader: reader, mapping: mapping)
            let rejected = RejectedRowWriter(destination: rejectedURL, layout: .csv(header: source.header, delimiter: reader.delimiter))
            return try run.execute(source, format: format, rejected: rejected)
        case .vcard:
            guard options.mappings.isEmpty else { throw .mappingNeedsCSV }
            let source = VCardImportSource(source: byteSource)
            let rejected = RejectedRowWriter(destination: rejectedURL, layout: .vcard)
            return try run.execute(source, format: format, rejected: rejected)
        }
    }

    /// `--map` arguments, plus `error=ignore` for a rejected-rows file being imported again.
    private func overrides(for header: [String], file: URL) throws(ExchangeError) -> [ColumnOverride] {
        var overrides: [ColumnOverride] = []
        for argument in options.mappings { overrides.append(try ColumnOverride(parsing: argument)) }
        let isRejectedFile = file.lastPathComponent.lowercased().hasSuffix(".rejected.csv")
        if isRejectedFile, header.last?.trimmingCharacters(in: .whitespaces) == RejectedRowWriter.errorColumn,
           !overrides.contains(where: { $0.column.lowercased() == RejectedRowWriter.errorColumn }) {
            overrides.append(ColumnOverride(column: RejectedRowWriter.errorColumn, target: .ignore))
        }
        return overrides
    }
}

/// Why an import could not run at all; nothing was written.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case exchange(ExchangeError)
    case mappingNeedsCSV
    case store(StoreError)
    case rejectedFile(ExportError)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .exchange(let error): error.description
        case .mappingNeedsCSV: "--map applies to CSV files only; vCard properties have fixed meanings"
        case .store(let error): error.description
        case .rejectedFile(let error): "nothing was imported: \(error.description)"
        }
    }
}

/// One import's mutable state while the transaction runs.
private final class Run {
    let importer: LeadImporter
    var summary: ImportSummary
    let counter: ByteCounter
    let totalBytes: Int
    let progress: ((ImportProgress) -> Void)?
    let warnings: WarningsFileWriter
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    var lastProgress: ContinuousClock.Instant
    /// New lead ids: 122 random bits each from a generator seeded by the system once per import;
    /// asking the kernel for every id cost more than parsing the row.
    var generator = FastRandom()
    /// The HLC of this import's first operation: leads created at or after it come from this file.
    var firstOperation: HLC?
    var rowResults: [ImportSummary.RowResult]? = []

    var options: ImportOptions { importer.options }

    init(
        importer: LeadImporter, summary: ImportSummary, counter: ByteCounter, totalBytes: Int, warnings: WarningsFileWriter,
        progress: ((ImportProgress) -> Void)?
    ) {
        self.importer = importer
        self.warnings = warnings
        self.summary = summary
        self.counter = counter
        self.totalBytes = totalBytes
        self.progress = progress
        start = clock.now
        lastProgress = start
    }

    func execute<Source: ImportRecordSource>(
        _ source: Source, format: ImportFormat, rejected: RejectedRowWriter
    ) throws(ImportError) -> ImportSummary {
        var defaults: [String: String] = [:]
        if let event = options.event { defaults[LeadField.event.rawValue] = event }
        let rows = ReadAhead(
            source, defaults: defaults, explicitSource: options.source?.rawValue, implicitSource: format.defaultSource.rawValue,
            rules: RowRules(strict: options.strict, region: options.region, knownNodes: options.knownNodes))
        defer { rows.stop() }
        var sourceError: ExchangeError?
        var rejectedError: ExportError?
        do throws(StoreError) {
            summary = try importer.store.editingWithDecision({ (editor: inout LocalEditor) throws -> (ImportSummary, commit: Bool) in
                while true {
                    let chunk: [ReadRow]?
                    do throws(ExchangeError) {
                        chunk = try rows.nextChunk()
                    } catch {
                        sourceError = error
                        throw error
                    }
                    guard let chunk else { break }
                    for index in chunk.indices {
                        do {
                            try self.apply(chunk[index], editor: &editor, rejected: rejected)
                        } catch let error as ExportError {
                            rejectedError = error
                            throw error
                        }
                        self.reportProgress(force: false)
                    }
                    rows.recycle(chunk)
                }
                self.reportProgress(force: true)
                let shouldCommit = !self.options.dryRun && (self.summary.invalid == 0 || self.options.leavesOutRefusedRows)
                var result = self.summary
                result.outcome = self.options.dryRun ? .dryRun : (shouldCommit ? .committed : .rolledBack)
                if shouldCommit {
                    do throws(ExportError) {
                        try rejected.commit()
                        try self.warnings.commit()
                    } catch {
                        rejectedError = error
                        throw error
                    }
                }
                return (result, shouldCommit)
            })
        } catch {
            rejected.discard()
            warnings.discard()
            if let sourceError { throw .exchange(sourceError) }
            if let rejectedError { throw .rejectedFile(rejectedError) }
            throw .store(error)
        }
        if summary.outcome != .committed {
            rejected.discard()
            warnings.discard()
        }
        if rejected.count > 0 {
            summary.rejectedFile = rejected.destination.path
        }
        if warnings.count > 0 {
            summary.warningsFile = warnings.destination.path
        }
        summary.rowResults = rowResults
        summary.durationSeconds = seconds(clock.now - start)
        return summary
    }

    private func apply(_ read: ReadRow, editor: inout LocalEditor, rejected: RejectedRowWriter) throws {
        summary.rows += 1
        let row = read.row
        let prepared: PreparedLead
        switch read.prepared {
        case .success(let lead):
            prepared = lead
        case .failure(let error):
            summary.invalid += 1
            let line = error.line ?? row.line
            if summary.errors.count < options.reportLimit {
                summary.errors.append(.init(line: line, message: error.description))
            }
            record(row.line, .invalid, lead: nil, detail: error.description)
            if options.leavesOutRefusedRows && !options.dryRun {
                try rejected.write(row.original, line: line, reason: error.description)
            }
            return
        }

        try setAside(prepared.setAside, line: row.line)
        if let email = prepared.email, let existing = try editor.leads(withEmail: email).first {
            let fromThisFile = firstOperation.map { existing.createdAt >= $0 } ?? false
            if summary.duplicates.count < options.reportLimit {
                summary.duplicates.append(.init(line: row.line, email: email, existing: existing.id.rawValue, fromThisFile: fromThisFile))
            }
            switch options.onDuplicate {
            case .skip:
                summary.skippedDuplicates += 1
                record(row.line, .skippedDuplicate, lead: existing.id, detail: prepared.label)
                return
            case .update:
                let changes = prepared.updateChanges(for: existing, existingNotes: try editor.notes(existing.id))
                for change in changes { try commit(change, to: existing.id, editor: &editor) }
                if changes.isEmpty {
                    summary.unchanged += 1
                    record(row.line, .unchanged, lead: existing.id, detail: prepared.label)
                } else {
                    summary.updated += 1
                    record(row.line, .updated, lead: existing.id, detail: prepared.label)
                }
                return
            case .create:
                summary.createdDuplicates += 1
            }
        }

        let record = RecordID.random(using: &generator)
        let op = try editor.create(prepared.row, to: record)
        if firstOperation == nil { firstOperation = op.hlc }
        summary.operations += 1
        for note in prepared.notes { try commit(.note(note), to: record, editor: &editor) }
        summary.created += 1
        self.record(row.line, .created, lead: record, detail: prepared.label)
    }

    /// Counts and reports the values the row set aside; the warnings file gets every one.
    private func setAside(_ values: [SetAsideValue], line: Int) throws {
        guard !values.isEmpty else { return }
        summary.setAsideRows += 1
        for value in values {
            summary.setAside += 1
            if summary.setAsideValues.count < options.reportLimit {
                summary.setAsideValues.append(.init(line: line, value: value))
            }
            if !options.dryRun { try warnings.write(value, line: line) }
        }
    }

    private func commit(_ change: Change, to record: RecordID, editor: inout LocalEditor) throws {
        let op = try editor.commit(change, to: record)
        if firstOperation == nil { firstOperation = op.hlc }
        summary.operations += 1
    }

    private func record(_ line: Int, _ action: ImportSummary.Action, lead: RecordID?, detail: @autoclosure () -> String) {
        guard rowResults != nil else { return }
        if summary.rows > options.rowResultLimit {
            rowResults = nil
            return
        }
        rowResults?.append(.init(line: line, action: action, lead: lead?.rawValue, detail: detail()))
    }

    private func reportProgress(force: Bool) {
        guard let progress else { return }
        let now = clock.now
        guard force || now - lastProgress >= .milliseconds(100) else { return }
        lastProgress = now
        progress(ImportProgress(rows: summary.rows, bytesRead: counter.count, totalBytes: totalBytes, elapsed: now - start))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
