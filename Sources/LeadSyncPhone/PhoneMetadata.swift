import Foundation

/// libphonenumber's metadata (see ``PhoneMetadataTable``), parsed on first use. Regions' patterns
/// are compiled when a region is first needed and kept, so each pattern is compiled once.
final class PhoneMetadata: @unchecked Sendable {
    /// The one table; immutable apart from the lock-protected cache of compiled regions.
    static let shared = PhoneMetadata()

    private let raw: [String: RawRegion]
    /// Country calling code → regions sharing it, the main region first.
    let regionsByCode: [Int: [String]]
    private let lock = NSLock()
    private var compiled: [String: PhoneRegion] = [:]

    private init() {
        do {
            let table = try JSONDecoder().decode(RawTable.self, from: Data(PhoneMetadataTable.json.utf8))
            raw = Dictionary(uniqueKeysWithValues: table.regions.map { ($0.r, $0) })
            regionsByCode = Dictionary(uniqueKeysWithValues: table.codes.compactMap { key, value in Int(key).map { ($0, value) } })
        } catch {
            preconditionFailure("the generated phone metadata does not parse: \(error)")
        }
    }

    /// Whether `region` (ISO 3166-1 alpha-2, upper case) has phone metadata.
    func knows(region: String) -> Bool { raw[region] != nil }

    /// The compiled metadata of `region`, nil for an unknown region.
    func region(_ code: String) -> PhoneRegion? {
        lock.lock()
        defer { lock.unlock() }
        if let region = compiled[code] { return region }
        guard let entry = raw[code] else { return nil }
        let region = PhoneRegion(entry)
        compiled[code] = region
        return region
    }

    /// The regions of a country calling code, main region first.
    func regions(forCode code: Int) -> [PhoneRegion] {
        (regionsByCode[code] ?? []).compactMap { region($0) }
    }
}

/// One region's metadata as stored in the generated JSON (short keys keep it small).
struct RawRegion: Decodable {
    let r: String
    let c: Int
    let ip: String?
    let np: String?
    let npp: String?
    let npt: String?
    let ld: String?
    let main: Bool?
    let g: String?
    let len: [Int]?
    let t: String?
    let f: [RawFormat]?
}

struct RawFormat: Decodable {
    let p: String
    let f: String
    let l: String?
}

private struct RawTable: Decodable {
    let regions: [RawRegion]
    let codes: [String: [String]]
}
