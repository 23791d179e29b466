import Foundation

/// A signed skew in seconds, e.g. `+0.2s`, `-312.0s`.
func formatSkew(_ millis: Int64) -> String {
    let seconds = Double(millis) / 1000
    return (seconds >= 0 ? "+" : "") + String(format: "%.1fs", seconds)
}
