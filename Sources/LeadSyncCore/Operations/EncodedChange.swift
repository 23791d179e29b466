/// A change's part of an op's wire JSON (its action and keys), encoded ahead of the op: an import
/// encodes its rows' creates on its reading thread, and ``Op/json(encodedChange:)`` only adds the
/// header the store assigns (seq, deps, HLC).
public struct EncodedChange: Sendable {
    let bytes: [UInt8]

    public init(_ change: Change) {
        var out = JSONText()
        Op.append(change, to: &out)
        bytes = out.bytes
    }
}
