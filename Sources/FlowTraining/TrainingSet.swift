import Flows

/// (features, latent) pairs for the learned prior, from random crops of the training images
/// with random flips and transposition, run through the integer flow (`ImageFlowCodec.priorSamples`).
///
/// Features are stored as Int16 (they lie within ±`PriorFeatures.limit`); a sample is kept with
/// probability `keep`, so many crops can be seen within a memory budget. Deterministic for a seed.
public struct TrainingSet: Sendable {
    /// `PriorFeatures.count` per sample.
    public var features: [Int16] = []
    /// The coded values.
    public var values: [Float] = []
    /// The translations before correction, in pixels (Q8 / 256).
    public var means: [Float] = []

    /// An empty set.
    public init() {}

    /// Number of samples.
    public var count: Int { values.count }

    /// Appends the samples of `set`, each kept with probability `keep` (all when `keep ≥ 1`).
    public mutating func append(_ set: PriorSampleSet, keep: Float, rng: inout SplitMix64) {
        let n = PriorFeatures.count
        for k in 0..<set.count where keep >= 1 || rng.unit() < keep {
            for f in 0..<n { features.append(Int16(set.features[k * n + f])) }
            values.append(Float(set.values[k]))
            means.append(Float(set.translationsQ8[k]) / 256)
        }
    }

    /// Builds a set from `crops` random crops of at most `side × side` pixels per image, on
    /// `threads` threads (default: every core). The result is the same for a seed whatever the
    /// thread count or timing.
    public static func build(from images: [PixelImage], crops: Int, side: Int, keep: Float, seed: UInt64,
                             threads: Int = ParallelJobs.processorCount) throws(TrainingError) -> TrainingSet {
        var jobs = [(image: Int, seed: UInt64)]()
        var rng = SplitMix64(seed: seed)
        for i in images.indices { for _ in 0..<crops { jobs.append((i, rng.next())) } }
        let tasks = jobs
        let parts = try ParallelJobs.map(tasks.count, threads: threads) { j throws(TrainingError) -> TrainingSet in
            var r = SplitMix64(seed: tasks[j].seed)
            let crop = Augment.randomCrop(images[tasks[j].image], side: side, rng: &r)
            var part = TrainingSet()
            do {
                part.append(try ImageFlowCodec.priorSamples(of: crop), keep: keep, rng: &r)
            } catch {
                throw TrainingError.unreadable("a crop of image \(tasks[j].image): \(error)")
            }
            return part
        }
        var all = TrainingSet()
        for part in parts {
            all.features += part.features
            all.values += part.values
            all.means += part.means
        }
        return all
    }
}

/// Augmentation: random crops, mirror images and transposition (the flow is not symmetric under
/// them, so each gives new samples).
enum Augment {
    static func randomCrop(_ image: PixelImage, side: Int, rng: inout SplitMix64) -> PixelImage {
        let w = min(side, image.width), h = min(side, image.height)
        let x0 = Int(rng.next() % UInt64(image.width - w + 1)), y0 = Int(rng.next() % UInt64(image.height - h + 1))
        let flipX = rng.next() & 1 == 1, flipY = rng.next() & 1 == 1, transpose = rng.next() & 1 == 1
        let (ow, oh) = transpose ? (h, w) : (w, h)
        let planes = image.planes.map { plane -> Plane in
            var out = Plane(width: ow, height: oh)
            for y in 0..<oh {
                for x in 0..<ow {
                    var (sx, sy) = transpose ? (y, x) : (x, y)
                    if flipX { sx = w - 1 - sx }
                    if flipY { sy = h - 1 - sy }
                    out[x, y] = plane[x0 + sx, y0 + sy]
                }
            }
            return out
        }
        return try! PixelImage(width: ow, height: oh, bitDepth: image.bitDepth, planes: planes)
    }
}
