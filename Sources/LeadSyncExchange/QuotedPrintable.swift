import Foundation

/// QUOTED-PRINTABLE decoding for vCard 2.1 values (RFC 2045 section 6.7).
///
/// Soft line breaks are already removed while unfolding, so this only turns `=XX` into bytes.
/// It works on bytes because the decoded bytes are in the property's CHARSET, not yet text.
enum QuotedPrintable {
    /// The decoded bytes, or nil when an `=` is not followed by two hex digits.
    static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "=") else {
                out.append(byte)
                index += 1
                continue
            }
            if index + 1 == bytes.count {
                // A trailing "=" is a soft line break at the very end of the value.
                break
            }
            guard index + 2 < bytes.count,
                  let high = hexValue(bytes[index + 1]),
                  let low = hexValue(bytes[index + 2])
            else { return nil }
            out.append(high << 4 | low)
            index += 3
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
