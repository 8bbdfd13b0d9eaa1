import Foundation

/// corpora/MANIFEST: `sha256 size split path` per line, paths relative to corpora/data.
public struct Manifest: Sendable {
    /// Split of each path.
    public var splits: [String: String]

    /// Parses manifest text; `#` lines are comments.
    public init(text: String) throws {
        splits = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count == 4 else { throw BenchError.usage("MANIFEST line \(number + 1): expected 'sha256 size split path'") }
            splits[String(fields[3])] = String(fields[2])
        }
    }

    /// The manifest next to a data directory (`DIR/../MANIFEST`), if there is one.
    public static func beside(dataDirectory: String) throws -> Manifest? {
        let path = ((dataDirectory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("MANIFEST")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try Manifest(text: String(decoding: try readBytes(path), as: UTF8.self))
    }
}
