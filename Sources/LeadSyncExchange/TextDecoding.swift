import Foundation

/// Byte-to-text decoding for the 8-bit charsets that real lead files use.
///
/// Windows-1252 is implemented here with its own table because Foundation's support for it on
/// Linux is incomplete; ISO-8859-1 is decoded as Windows-1252 (as browsers do), since files
/// labelled Latin-1 are almost always Windows-1252 and 0x80-0x9F are unused control codes otherwise.
enum TextDecoding {
    /// Unicode scalars for Windows-1252 bytes 0x80-0x9F; the five undefined bytes map to the
    /// C1 control with the same value, so decoding never fails.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// ISO-8859-15 differs from ISO-8859-1 in eight positions (the euro sign among them).
    static let latin9Overrides: [UInt8: UInt32] = [
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D,
        0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153, 0xBE: 0x0178,
    ]

    /// Decodes Windows-1252 bytes.
    static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        singleByte(bytes) { byte in
            byte >= 0x80 && byte <= 0x9F ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
        }
    }

    /// Decodes ISO-8859-15 bytes (Latin-9).
    static func latin9(_ bytes: some Collection<UInt8>) -> String {
        singleByte(bytes) { byte in latin9Overrides[byte] ?? UInt32(byte) }
    }

    /// UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252: the two encodings lead files
    /// come in, and valid UTF-8 is practically never meaningful Windows-1252 text.
    static func utf8OrWindows1252(_ bytes: some Collection<UInt8>) -> String {
        if isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return windows1252(bytes)
    }

    /// Decodes bytes declared with a MIME charset name; nil when the charset is not supported.
    static func decode(_ bytes: [UInt8], charset: String) -> String? {
        let key = charset.uppercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "UTF8", "USASCII", "ASCII", "":
            return utf8OrWindows1252(bytes)
        case "ISO88591", "LATIN1", "L1", "CP819", "IBM819", "WINDOWS1252", "CP1252", "XCP1252", "MSANSI":
            return windows1252(bytes)
        case "ISO885915", "LATIN9", "L9":
            return latin9(bytes)
        default:
            return nil
        }
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
    /// With `allowTruncatedEnd`, a sequence cut off by the end of the bytes counts as valid,
    /// which lets a reader judge the first chunk of a file.
    static func isValidUTF8(_ bytes: some Collection<UInt8>, allowTruncatedEnd: Bool = false) -> Bool {
        var iterator = bytes.makeIterator()
        while let lead = iterator.next() {
            if lead < 0x80 { continue }
            let length: Int
            var minSecond: UInt8 = 0x80
            var maxSecond: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; minSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; maxSecond = 0x9F
            case 0xF0: length = 4; minSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; maxSecond = 0x8F
            default: return false
            }
            for position in 1..<length {
                guard let next = iterator.next() else { return allowTruncatedEnd }
                let low = position == 1 ? minSecond : 0x80
                let high = position == 1 ? maxSecond : 0xBF
                if next < low || next > high { return false }
            }
        }
        return true
    }

    private static func singleByte(_ bytes: some Collection<UInt8>, scalar: (UInt8) -> UInt32) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count + bytes.count / 2)
        for byte in bytes {
            if byte < 0x80 {
                utf8.append(byte)
                continue
            }
            let value = scalar(byte)
            if value < 0x800 {
                utf8.append(UInt8(0xC0 | (value >> 6)))
                utf8.append(UInt8(0x80 | (value & 0x3F)))
            } else {
                utf8.append(UInt8(0xE0 | (value >> 12)))
                utf8.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
                utf8.append(UInt8(0x80 | (value & 0x3F)))
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
