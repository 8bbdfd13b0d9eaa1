import Foundation

/// Number formats shared by the reports.
enum Format {
    /// `value` with `digits` decimals, or "—" for nil.
    static func fixed(_ value: Double?, _ digits: Int) -> String {
        guard let value else { return "—" }
        return String(format: "%.\(digits)f", value)
    }

    /// A speed or size with about three significant digits.
    static func short(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    /// Bytes as MiB, or "—".
    static func mebibytes(_ bytes: Int?) -> String {
        bytes.map { short(Double($0) / 1_048_576) } ?? "—"
    }
}
