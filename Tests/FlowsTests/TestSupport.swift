import EntropyCoding   // SplitMix64: seeded, reproducible test data
@testable import Flows

/// Named sample patterns: random, constant extremes, checkerboard, and a smooth photo-like ramp
/// with mild noise (what the flow is built for).
enum Pattern: CaseIterable {
    case random, zeros, maximum, checkerboard, smooth

    func plane(width: Int, height: Int, maxValue: Int32, seed: UInt64) -> Plane {
        var rng = SplitMix64(seed: seed)
        var p = Plane(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                switch self {
                case .random: p[x, y] = Int32.random(in: 0...maxValue, using: &rng)
                case .zeros: p[x, y] = 0
                case .maximum: p[x, y] = maxValue
                case .checkerboard: p[x, y] = (x + y) & 1 == 0 ? 0 : maxValue
                case .smooth:
                    let base = Int64(maxValue) * Int64(x * 3 + y * 2) / Int64(max(1, width * 3 + height * 2))
                    let noise = Int64.random(in: -2...2, using: &rng) * Int64(maxValue / 255)
                    p[x, y] = Int32(min(max(base + noise, 0), Int64(maxValue)))
                }
            }
        }
        return p
    }
}

func image(_ pattern: Pattern, width: Int, height: Int, channels: Int, bitDepth: Int, seed: UInt64 = 1) throws -> PixelImage {
    let maxValue = Int32(1) << Int32(bitDepth) - 1
    let planes = (0..<channels).map { pattern.plane(width: width, height: height, maxValue: maxValue, seed: seed &+ UInt64($0)) }
    return try PixelImage(width: width, height: height, bitDepth: bitDepth, planes: planes)
}
