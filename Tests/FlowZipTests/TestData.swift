import EntropyCoding
import Foundation

/// Deterministic test data (SplitMix64), so failures reproduce.
enum TestData {
    static func random(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func repetitive(_ count: Int) -> [UInt8] {
        let phrase = Array("the quick brown fox jumps over the lazy dog. ".utf8)
        return (0..<count).map { phrase[$0 % phrase.count] }
    }

    /// A small binary PPM (P6) whose pixels are a smooth gradient with a little noise.
    static func ppm(width: Int, height: Int, seed: UInt64 = 7) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var bytes = Array("P6\n# test image\n\(width) \(height)\n255\n".utf8)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    let v = (x * 3 + y * 2 + c * 40) % 256 + Int.random(in: -3...3, using: &rng)
                    bytes.append(UInt8(clamping: v))
                }
            }
        }
        return bytes
    }

    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed sample of real files (corpora/sample).
    static func sampleFiles() throws -> [URL] {
        let folder = repository.appendingPathComponent("corpora/sample")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") && $0.pathExtension != "md" }
            .sorted { $0.path < $1.path }
    }
}
