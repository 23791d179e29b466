import Foundation

extension String {
    /// Replaces single Unicode scalars. Escaping must work on scalars, not Characters: a quote
    /// or comma followed by a combining mark, or CR followed by LF, forms a single Character
    /// and would slip past a Character-based replacement.
    func escapingScalars(_ replacements: [Unicode.Scalar: String]) -> String {
        guard unicodeScalars.contains(where: { replacements[$0] != nil }) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if let replacement = replacements[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
