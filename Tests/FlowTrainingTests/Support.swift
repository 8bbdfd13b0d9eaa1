import Flows
@testable import FlowTraining

/// A photo-like 8-bit test image: a smooth ramp with texture and noise, deterministic.
func syntheticImage(width: Int = 40, height: Int = 40, channels: Int = 3, seed: UInt64 = 1) -> PixelImage {
    var rng = SplitMix64(seed: seed)
    let planes = (0..<channels).map { c -> Plane in
        var p = Plane(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let ramp = 40 + 3 * x + 2 * y + 20 * c
                let texture = ((x / 5 + y / 7) & 1) * 30
                let noise = Int(rng.next() % 9) - 4
                p[x, y] = Int32(min(max(ramp + texture + noise, 0), 255))
            }
        }
        return p
    }
    return try! PixelImage(width: width, height: height, bitDepth: 8, planes: planes)
}

/// A tiny, fast configuration for tests.
func tinyConfig(steps: Int = 40, seed: UInt64 = 3) -> TrainingConfig {
    var c = TrainingConfig()
    c.hidden = [6]
    c.steps = steps
    c.batch = 64
    c.learningRate = 1e-2
    c.seed = seed
    return c
}

/// Training samples from two crops of the synthetic image.
let tinySet: TrainingSet = try! TrainingSet.build(from: [syntheticImage()], crops: 2, side: 32, keep: 1, seed: 5)
