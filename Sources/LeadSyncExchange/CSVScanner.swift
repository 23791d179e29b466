import Foundation

/// What scanning one record out of the buffer gave.
enum CSVScanOutcome {
    /// A complete record ending before `end`; `lineBreaks` physical line breaks were consumed.
    /// `blank` marks an empty line, which readers skip.
    case record(end: Int, lineBreaks: Int, blank: Bool)
    /// The buffer ends inside the record; read more and scan again from the same start.
    case needsMoreInput
    /// A quoted field (index `field`) opened `lineOffset` lines after the record start never closes.
    case unterminatedQuote(field: Int, lineOffset: Int)
    /// Something other than a delimiter or line break follows a closing quote.
    case textAfterClosingQuote(field: Int, lineOffset: Int)
}

/// The RFC 4180 state machine, working directly on bytes for speed.
///
/// Quoted fields may contain delimiters, line breaks and doubled quotes; records end at LF,
/// CRLF or CR outside quotes. A quote inside an unquoted field is taken literally, as Excel does.
enum CSVScanner {
    private static let quote = UInt8(ascii: "\"")
    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    /// Scans one record starting at `start`, appending its fields to `fields` (cleared first).
    /// With `atEnd` false, a record touching the end of `bytes` is reported as incomplete.
    static func scanRecord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        atEnd: Bool,
        delimiter: UInt8,
        fields: inout [String],
        scratch: inout [UInt8],
        decoder: inout CSVFieldDecoder
    ) -> CSVScanOutcome {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        var index = start
        var lineBreaks = 0
        while true {
            if index < count, bytes[index] == quote {
                let openingLine = lineBreaks
                index += 1
                var segmentStart = index
                var highBits: UInt8 = 0
                var usesScratch = false
                scratch.removeAll(keepingCapacity: true)
                while true {
                    while index < count, bytes[index] != quote {
                        if bytes[index] == lf { lineBreaks += 1 }
                        highBits |= bytes[index]
                        index += 1
                    }
                    if index >= count {
                        return atEnd ? .unterminatedQuote(field: fields.count, lineOffset: openingLine) : .needsMoreInput
                    }
                    if index + 1 >= count, !atEnd { return .needsMoreInput }
                    if index + 1 < count, bytes[index + 1] == quote {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart...index]))
                        usesScratch = true
                        index += 2
                        segmentStart = index
                        continue
                    }
                    break
                }
                if usesScratch {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<index]))
                    fields.append(scratch.withUnsafeBufferPointer { decoder.decode($0, highBits: highBits) })
                } else {
                    fields.append(decoder.decode(UnsafeBufferPointer(rebasing: bytes[segmentStart..<index]), highBits: highBits))
                }
                index += 1  // closing quote
                if index < count, bytes[index] != delimiter, bytes[index] != lf, bytes[index] != cr {
                    return .textAfterClosingQuote(field: fields.count - 1, lineOffset: lineBreaks)
                }
            } else {
                let fieldStart = index
                var highBits: UInt8 = 0
                while index < count {
                    let byte = bytes[index]
                    if byte == delimiter || byte == lf || byte == cr { break }
                    highBits |= byte
                    index += 1
                }
                if index >= count, !atEnd { return .needsMoreInput }
                fields.append(decoder.decode(UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]), highBits: highBits))
            }
            // After a field: delimiter, line break or end of input.
            if index >= count {
                return .record(end: index, lineBreaks: lineBreaks, blank: isBlank(fields, bytes, start))
            }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                continue
            }
            if byte == cr {
                if index + 1 < count {
                    index += bytes[index + 1] == lf ? 2 : 1
                } else if !atEnd {
                    return .needsMoreInput
                } else {
                    index += 1
                }
            } else {
                index += 1
            }
            return .record(end: index, lineBreaks: lineBreaks + 1, blank: isBlank(fields, bytes, start))
        }
    }

    /// An empty physical line (not a quoted empty field).
    private static func isBlank(_ fields: [String], _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        fields.count == 1 && fields[0].isEmpty && (start >= bytes.count || bytes[start] != quote)
    }
}
