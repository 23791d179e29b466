import Foundation

/// Reads the times users give with `--at`: ISO-8601 (`2026-03-05T14:30:00Z`,
/// `2026-03-05T15:30+01:00`, `2026-03-05T14:30:00.250Z`, `2026-03-05`) or `YYYY-MM-DD HH:MM`,
/// in the given zone (the user's, see ``LocalZone``) unless an offset or `Z` is given. Parsed by
/// hand on bytes: no locale.
enum TimeParsing {
    static let formats =
        "ISO-8601 such as 2026-03-05T14:30:00Z or 2026-03-05T15:30+01:00, or 'YYYY-MM-DD HH:MM' "
        + "(local time, see 'leadsync config set timezone', unless an offset is given)"

    /// The time as UTC milliseconds since 1970, or nil when `text` is not one of the forms above
    /// or lies before 1970. A time without offset is a wall time in `zone`.
    static func millis(_ text: String, zone: TimeZone = .gmt) -> Int64? {
        var cursor = Cursor(bytes: Array(text.utf8))
        cursor.skipSpaces()
        guard let year = cursor.digits(4), cursor.take("-"), let month = cursor.digits(2), cursor.take("-"),
              let day = cursor.digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = 0
        var fraction: Int64 = 0
        var offsetMinutes: Int?
        if !cursor.atEnd(afterSpaces: true) {
            guard cursor.take("T") || cursor.take("t") || cursor.take(" ") else { return nil }
            cursor.skipSpaces()
            guard let hour = cursor.digits(2), cursor.take(":"), let minute = cursor.digits(2),
                  hour < 24, minute < 60
            else { return nil }
            var second = 0
            if cursor.take(":") {
                guard let value = cursor.digits(2), value < 60 else { return nil }
                second = value
                if cursor.take(".") || cursor.take(",") {
                    guard let (value, count) = cursor.digitRun(max: 9), count > 0 else { return nil }
                    fraction = Int64(value) * 1_000 / pow10(count)  // milliseconds, truncated
                }
            }
            seconds = (hour * 60 + minute) * 60 + second
            cursor.skipSpaces()
            if cursor.take("Z") || cursor.take("z") {
                offsetMinutes = 0
            } else if let sign = cursor.sign() {
                guard let hours = cursor.digits(2), hours < 24 else { return nil }
                var minutes = 0
                if !cursor.atEnd(afterSpaces: true) {
                    _ = cursor.take(":")
                    guard let value = cursor.digits(2), value < 60 else { return nil }
                    minutes = value
                }
                offsetMinutes = sign * (hours * 60 + minutes)
            }
        }
        guard cursor.atEnd(afterSpaces: true) else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let wall = days * 86_400 + Int64(seconds)
        let offset = offsetMinutes.map { Int64($0) * 60 } ?? zoneOffset(wallSeconds: wall, in: zone)
        let millis = (wall - offset) * 1_000 + fraction
        return millis >= 0 ? millis : nil
    }

    /// The offset from UTC, in seconds, of `zone` at the wall time `wallSeconds` (seconds since
    /// 1970 read as if UTC); across a daylight-saving change the offset after it.
    static func zoneOffset(wallSeconds: Int64, in zone: TimeZone) -> Int64 {
        let guess = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wallSeconds))))
        return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wallSeconds - guess))))
    }

    private static func pow10(_ n: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<n { value *= 10 }
        return value
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }

        mutating func skipSpaces() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        }

        mutating func atEnd(afterSpaces: Bool) -> Bool {
            var probe = index
            while afterSpaces, probe < bytes.count, bytes[probe] == UInt8(ascii: " ") { probe += 1 }
            return probe == bytes.count
        }

        /// Exactly `count` ASCII digits.
        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// Up to `max` digits (more are refused); the value and how many there were.
        mutating func digitRun(max: Int) -> (Int, Int)? {
            var value = 0
            var count = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                guard count < max else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                count += 1
                index += 1
            }
            return (value, count)
        }

        mutating func sign() -> Int? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }
    }
}
