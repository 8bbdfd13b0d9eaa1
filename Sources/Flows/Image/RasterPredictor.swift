/// Raster-order self-correcting weighted prediction of one plane (after JPEG XL's weighted
/// predictor): four sub-predictors from the causal neighbours, each weighted by the inverse of
/// its recent absolute error around the pixel, and an activity for the prior context from the
/// final prediction's errors at the neighbours plus the local gradient. It is the translation of
/// an autoregressive additive coupling (each pixel on its causal past: unit Jacobian, exact
/// integer inverse), the `RasterCoder`'s alternative to the interlaced hierarchy.
///
/// Encoder and decoder call `predict` then `update` for every pixel in raster order; the state
/// holds two rows of errors. Integer only: sub-predictions in Q3 (value × 8).
struct RasterPredictor {
    let width: Int
    /// Sub-predictor errors `|p_i − 8v|`, per row parity, x and predictor: `[(row & 1) * width + x] * 4 + i`.
    private var subErrors: [Int32]
    /// The final prediction's signed error `p − 8v` (Q3), per row parity and x.
    private var trueErrors: [Int32]
    /// The sub-predictions and the final prediction at the current pixel, kept for `update`.
    private var sub: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
    private var finalQ3: Int64 = 0
    /// Relative trust in each sub-predictor (JPEG XL's defaults).
    static let maxWeights: (Int64, Int64, Int64, Int64) = (13, 12, 12, 12)

    init(width: Int) {
        self.width = max(width, 1)
        subErrors = [Int32](repeating: 0, count: 2 * self.width * 4)
        trueErrors = [Int32](repeating: 0, count: 2 * self.width)
    }

    /// The Q8 prediction of pixel `(x, y)` from the decoded values `v` (raster order, `width`
    /// wide; the rows above and the pixels to the left filled) and its activity: the neighbours'
    /// prediction errors and gradients, plus twice `lead` (the first channel's residual here,
    /// under channel conditioning).
    @inline(__always)
    mutating func predict(_ v: UnsafeBufferPointer<Int32>, x: Int, y: Int, lead: Int32) -> (predictionQ8: Int32, activity: Int32) {
        let w = width
        let hasN = y > 0, hasW = x > 0, hasE = x + 1 < w
        let up = (y - 1) * w, here = y * w
        let N = hasN ? Int64(v[up + x]) : hasW ? Int64(v[here + x - 1]) : 0
        let W = hasW ? Int64(v[here + x - 1]) : N
        let NW = hasN && hasW ? Int64(v[up + x - 1]) : N
        let NE = hasN && hasE ? Int64(v[up + x + 1]) : N
        let rowN = ((y - 1) & 1) * w, rowC = (y & 1) * w
        let teN = hasN ? Int64(trueErrors[rowN + x]) : 0
        let teW = hasW ? Int64(trueErrors[rowC + x - 1]) : 0
        let teNW = hasN && hasW ? Int64(trueErrors[rowN + x - 1]) : 0
        let teNE = hasN && hasE ? Int64(trueErrors[rowN + x + 1]) : 0
        let n8 = N << 3, w8 = W << 3, ne8 = NE << 3
        let p0 = w8 + ne8 - n8
        let p1 = n8 - ((teW + teN + teNE) * 16 >> 5)
        let p2 = w8 - ((teW + teN + teNW) * 10 >> 5)
        let p3 = n8 - ((teNW + teN + teNE) * 7 >> 5)
        sub = (p0, p1, p2, p3)
        // Each sub-predictor's error sum at N, W, NW, NE and WW; weight ∝ trust / (sum + 1).
        var sums: (Int64, Int64, Int64, Int64) = (1, 1, 1, 1)
        subErrors.withUnsafeBufferPointer { e in
            @inline(__always) func add(_ k: Int) {
                sums.0 += Int64(e[k * 4]); sums.1 += Int64(e[k * 4 + 1]); sums.2 += Int64(e[k * 4 + 2]); sums.3 += Int64(e[k * 4 + 3])
            }
            if hasN { add(rowN + x); if hasW { add(rowN + x - 1) }; if hasE { add(rowN + x + 1) } }
            if hasW { add(rowC + x - 1) }
            if x > 1 { add(rowC + x - 2) }
        }
        let m = Self.maxWeights
        let w0 = (m.0 << 24) / sums.0 + 1, w1 = (m.1 << 24) / sums.1 + 1
        let w2 = (m.2 << 24) / sums.2 + 1, w3 = (m.3 << 24) / sums.3 + 1
        // Weights < 2^29, sub-predictions < 2^24 in magnitude: the products fit in Int64.
        var p = floorDivide(w0 * p0 + w1 * p1 + w2 * p2 + w3 * p3, w0 + w1 + w2 + w3)
        if hasN && hasW && hasE {
            // Never outside the range of the three upper/left neighbours, as JPEG XL clamps.
            p = min(max(p, min(w8, min(n8, ne8))), max(w8, max(n8, ne8)))
        }
        finalQ3 = p
        let maxError = max(max(abs(teN), abs(teW)), max(abs(teNW), abs(teNE)))
        let grad = abs(N - NW) + abs(W - NW) + abs(NE - N)
        // Measured on train/validation photos: the errors weighted 4× the gradient (per pixel
        // unit) beat 1/2×–2× and the sum of all four neighbours' errors.
        let errs = (maxError + abs(teN) + abs(teW)) >> 1
        let activity = errs + grad + 2 * Int64(lead.magnitude)
        return (Int32(truncatingIfNeeded: p << 5), Int32(truncatingIfNeeded: min(activity, Int64(Int32.max))))
    }

    /// Records the true value of the pixel last predicted.
    @inline(__always)
    mutating func update(x: Int, y: Int, value: Int32) {
        let v8 = Int64(value) << 3
        let k = (y & 1) * width + x
        @inline(__always) func clip(_ e: Int64) -> Int32 { Int32(truncatingIfNeeded: min(max(e, -(1 << 30)), 1 << 30)) }
        subErrors[k * 4] = clip(abs(sub.0 - v8))
        subErrors[k * 4 + 1] = clip(abs(sub.1 - v8))
        subErrors[k * 4 + 2] = clip(abs(sub.2 - v8))
        subErrors[k * 4 + 3] = clip(abs(sub.3 - v8))
        trueErrors[k] = clip(finalQ3 - v8)
    }
}
