import Foundation
import LeadSyncCore
import LeadSyncStore

/// Turns argument strings into library values. Enumerated values are taken as plain strings and
/// checked here, so a bad value fails with the validator's one-line message naming the field.
enum InputParsing {
    /// `FIELD=VALUE`, split at the first `=`; `FIELD=` clears.
    static func assignment(_ raw: String) throws -> FieldAssignment {
        guard let equals = raw.firstIndex(of: "="), equals != raw.startIndex else {
            throw CLIError("expected FIELD=VALUE, got '\(raw)'")
        }
        return FieldAssignment(field: String(raw[..<equals]), value: String(raw[raw.index(after: equals)...]))
    }

    static func stage(_ raw: String) throws -> LifecycleStage {
        try LeadValidator.stage(raw)
    }

    /// A value of a standard field in its canonical form (e.g. a lower-cased enum member).
    static func value(_ raw: String, for field: LeadField) throws -> String {
        try LeadValidator.normalize(raw, for: .standard(field))
    }

    /// A value as `add` and `set` store it: phone numbers in E.164 where they parse (see
    /// ``LeadValidator/normalizeTyped(_:for:region:)``), country names as ISO codes; other fields
    /// and unknown names are left for the store to check.
    static func typed(_ raw: String, field name: String, region: String?) throws -> String {
        guard let field = try? FieldName(validating: name) else { return raw }
        return try LeadValidator.normalizeTyped(raw, for: field, region: region)
    }

    /// Where phone numbers without a country code are dialled: the lead's country, else the
    /// replica's `region` setting.
    static func phoneRegion(country: String?, store: Store) throws -> String? {
        if let country, let code = LeadValidator.countryCode(country) { return code }
        return try store.setting("region")
    }

    static func source(_ raw: String) throws -> LeadSource {
        try member(raw, of: LeadSource.self, field: .source)
    }

    static func kind(_ raw: String) throws -> LeadKind {
        try member(raw, of: LeadKind.self, field: .kind)
    }

    private static func member<E: RawRepresentable & CaseIterable>(
        _ raw: String, of type: E.Type, field: LeadField
    ) throws -> E where E.RawValue == String {
        guard let member = E(rawValue: try value(raw, for: field)) else {
            throw LeadError.invalidValue(field: field.rawValue, value: raw, allowed: E.allCases.map(\.rawValue))
        }
        return member
    }

    /// Text given as an argument, or read from standard input when it is `-`.
    static func textArgument(_ raw: String) -> String {
        guard raw == "-" else { return raw }
        var lines: [String] = []
        while let line = readLine(strippingNewline: false) { lines.append(line) }
        return lines.joined()
    }
}

extension InputParsing {
    /// `--at TIME` (see ``TimeParsing``), in the user's zone unless it has an offset, as UTC
    /// milliseconds. Call it after opening the replica, which may configure the zone.
    static func time(_ raw: String) throws -> Int64 {
        guard let millis = TimeParsing.millis(raw, zone: LocalZone.current) else {
            throw CLIError("invalid time '\(raw)': use \(TimeParsing.formats), not before 1970", status: .dataError)
        }
        return millis
    }

    static func activityType(_ raw: String) throws -> ActivityType {
        guard let type = ActivityType(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw LeadError.invalidValue(field: "activity type", value: raw, allowed: ActivityType.allCases.map(\.rawValue))
        }
        return type
    }

    static func channel(_ raw: String) throws -> ConsentChannel {
        guard let channel = ConsentChannel(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw LeadError.invalidValue(field: "consent channel", value: raw, allowed: ConsentChannel.allCases.map(\.rawValue))
        }
        return channel
    }
}
