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

    /// A small binary PGM (P5): a smooth gray gradient with a little noise.
    static func pgm(width: Int, height: Int, seed: UInt64 = 11) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return Array("P5\n\(width) \(height)\n255\n".utf8) + (0..<(width * height)).map { i in
            UInt8(clamping: 40 + (i % width) * 4 + (i / width) * 3 + Int.random(in: -2...2, using: &rng))
        }
    }

    /// The top-left `width`×`height` pixels of the committed 128×128 gray photo, as a binary PGM.
    static func pgmCrop(width: Int, height: Int) throws -> [UInt8] {
        let photo = try [UInt8](Data(contentsOf: repository.appendingPathComponent("corpora/sample/astronaut-suit.pgm")))
        let header = Array("P5\n128 128\n255\n".utf8)
        precondition(photo.starts(with: header) && width <= 128 && height <= 128)
        return Array("P5\n\(width) \(height)\n255\n".utf8)
            + (0..<height).flatMap { y in photo[(header.count + y * 128)..<(header.count + y * 128 + width)] }
    }

    /// A triangle wave of period 64 and the given amplitude with ±2 of noise, integers only (so the
    /// data never depends on a maths library).
    static func wave(_ count: Int, amplitude: Int, seed: UInt64 = 3) -> [Int] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let phase = i % 64
            let triangle = (phase < 32 ? phase - 16 : 48 - phase) * amplitude / 16
            return triangle + Int.random(in: -2...2, using: &rng)
        }
    }

    /// Interleaved little-endian float32 pairs: two waves around 1536 (whole numbers, exact in float32).
    static func float32Pairs(_ frames: Int) -> [UInt8] {
        let left = wave(frames, amplitude: 300, seed: 5), right = wave(frames, amplitude: 200, seed: 6)
        return (0..<frames).flatMap { f in
            [left[f], right[f]].flatMap { v in
                withUnsafeBytes(of: Float(1536 + v).bitPattern.littleEndian) { Array($0) }
            }
        }
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
