/// The learned raster conditioner's network in integer fixed point: the `RasterFeatures` of a
/// sub-pixel → two hidden layers → a mean correction and a log2 scale, both Q8. Trained by maximum
/// likelihood (scripts/learned-raster/train.py) and exported with `export.py`, whose integer
/// reference a test checks this code against bit for bit.
///
///     h1 = clip((b1 + W1·x) >> s1, 0, 4095)
///     h2 = clip((b2 + W2·h1) >> s2, 0, 4095)
///     (delta, log2 scale) = (b3 + W3·h2) >> s3
///
/// Features are Q4 within ±2048, activations Q8 within 0...4095; the exporter chose every layer's
/// scale so that no accumulator can reach 2^31 for any input in those ranges (`init` checks it
/// again), hence the wrapping operators. Immutable after `init`; the weights live in memory the
/// network owns, read through pointers in the per-pixel loop.
final class RasterNetwork: @unchecked Sendable {
    /// Width of each hidden layer.
    let hidden: Int
    let inputs = RasterFeatures.count
    static let activationMax: Int32 = 4095
    private let w1: UnsafeMutablePointer<Int32>, b1: UnsafeMutablePointer<Int32>
    private let w2: UnsafeMutablePointer<Int32>, b2: UnsafeMutablePointer<Int32>
    private let w3: UnsafeMutablePointer<Int32>, b3: UnsafeMutablePointer<Int32>
    private let s1: Int32, s2: Int32, s3: Int32

    /// Multiply-adds per evaluation.
    var multiplyAdds: Int { hidden * (inputs + hidden + 2) }

    /// A network from the exporter's integers (row-major weights: output j's row first). Traps
    /// on sizes that do not match or weights that could overflow an accumulator: the built-in
    /// network is generated source, so this is a programming error, not bad input.
    init(hidden: Int, w1: [Int32], b1: [Int32], s1: Int32, w2: [Int32], b2: [Int32], s2: Int32,
         w3: [Int32], b3: [Int32], s3: Int32) {
        let n = RasterFeatures.count
        precondition(hidden > 0 && w1.count == hidden * n && b1.count == hidden && w2.count == hidden * hidden
                     && b2.count == hidden && w3.count == 2 * hidden && b3.count == 2, "raster network sizes")
        precondition([s1, s2, s3].allSatisfy { (0...31).contains($0) }, "raster network shifts")
        func bound(_ w: [Int32], _ b: [Int32], rowLength: Int, inputMax: Int64) -> Bool {
            b.indices.allSatisfy { j in
                let row = w[j * rowLength..<(j + 1) * rowLength]
                return row.allSatisfy { $0.magnitude <= 32767 }
                    && row.reduce(Int64(b[j].magnitude)) { $0 + Int64($1.magnitude) * inputMax } < 1 << 31
            }
        }
        precondition(bound(w1, b1, rowLength: n, inputMax: Int64(RasterFeatures.limit))
                     && bound(w2, b2, rowLength: hidden, inputMax: Int64(Self.activationMax))
                     && bound(w3, b3, rowLength: hidden, inputMax: Int64(Self.activationMax)), "raster network could overflow")
        func copy(_ a: [Int32]) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: a.count)
            p.initialize(from: a, count: a.count)
            return p
        }
        self.hidden = hidden
        (self.w1, self.b1, self.w2, self.b2, self.w3, self.b3) = (copy(w1), copy(b1), copy(w2), copy(b2), copy(w3), copy(b3))
        (self.s1, self.s2, self.s3) = (s1, s2, s3)
    }

    deinit {
        for p in [w1, b1, w2, b2, w3, b3] { p.deallocate() }
    }

    /// Evaluates the network on the `RasterFeatures.count` features at `x` (each within ±2048),
    /// leaving the last hidden layer in `h2` and using `h1` as scratch (`hidden` entries each).
    /// Returns the mean correction and the log2 scale, Q8, in 8-bit sample units.
    @inline(__always)
    func evaluate(_ x: UnsafePointer<Int32>, h1: UnsafeMutablePointer<Int32>, h2: UnsafeMutablePointer<Int32>) -> (deltaQ8: Int32, log2ScaleQ8: Int32) {
        let n = inputs, m = hidden, top = Self.activationMax
        for j in 0..<m {
            var acc = b1[j]
            let row = w1 + j &* n
            for i in 0..<n { acc = acc &+ row[i] &* x[i] }
            h1[j] = min(max(acc >> s1, 0), top)
        }
        for j in 0..<m {
            var acc = b2[j]
            let row = w2 + j &* m
            for i in 0..<m { acc = acc &+ row[i] &* h1[i] }
            h2[j] = min(max(acc >> s2, 0), top)
        }
        var delta = b3[0], scale = b3[1]
        let second = w3 + m
        for i in 0..<m {
            delta = delta &+ w3[i] &* h2[i]
            scale = scale &+ second[i] &* h2[i]
        }
        return (delta >> s3, scale >> s3)
    }
}
