/// Renders rows as CSV (RFC 4180 quoting), one line per codec run, every measured field.
public enum CSVReport {
    /// The column names.
    public static let header = ["corpus", "file", "codec", "status", "original_bytes", "units", "compressed_bytes",
                                "bits_per_unit", "ratio", "encode_seconds", "decode_seconds", "encode_MBps",
                                "decode_MBps", "encode_peak_bytes", "decode_peak_bytes", "exact", "note"]

    /// The whole CSV text, header first.
    public static func render(_ rows: [BenchRow]) -> String {
        var lines = [header.joined(separator: ",")]
        for row in rows {
            let run = row.run
            let status: String, note: String
            switch row.status {
            case .ran(let r): (status, note) = ("ok", r.note)
            case .notApplicable(let why): (status, note) = ("n/a", why)
            case .failed(let why): (status, note) = ("failed", why)
            }
            let fields: [String] = [
                row.corpus, row.file, row.codec, status, "\(row.originalSize)", "\(row.units)",
                run.map { "\($0.compressedSize)" } ?? "",
                row.bitsPerUnit.map { Format.fixed($0, 5) } ?? "",
                row.ratio.map { Format.fixed($0, 5) } ?? "",
                run.map { Format.fixed($0.encodeSeconds, 6) } ?? "",
                run.map { Format.fixed($0.decodeSeconds, 6) } ?? "",
                row.encodeMBps.map { Format.fixed($0, 3) } ?? "",
                row.decodeMBps.map { Format.fixed($0, 3) } ?? "",
                run?.encodePeakBytes.map { "\($0)" } ?? "",
                run?.decodePeakBytes.map { "\($0)" } ?? "",
                run.map { $0.exact ? "yes" : "no" } ?? "",
                note,
            ]
            lines.append(fields.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quotes a field when it holds a comma, quote or line break.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
