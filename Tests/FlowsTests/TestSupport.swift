@testable import Flows

/// SplitMix64: a tiny deterministic generator so every test sees the same "random" data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
