/// Raster-order self-correcting weighted prediction of one plane (after JPEG XL's weighted
/// predictor): four sub-predictors from the causal neighbours, each weighted by the inverse of
/// its recent absolute error around the pixel, and an activity for the prior context from the
/// final prediction's errors at the neighbours plus the local gradient. It is the translation of
/// an autoregressive additive coupling (each pixel on its causal past: unit Jacobian, exact
/// integer inverse), the `RasterCoder`'s alternative to the interlaced hierarchy.
///
/// Encoder and decoder call `predict` then `update` for every pixel in raster order; the state
/// holds two rows of errors. Integer only: sub-predictions in Q3 (value × 8).
///
/// Generic over the payload `Version` (`RasterVersion5`, what the encoder writes; version 4 is
/// decode-only, `RasterVersion4` in Legacy/), so each version's loop is specialised and tests no
/// version per pixel. Version 5's error-corrected sub-predictors correct as intended (version 4's
/// reduce to N, W, N), a fifth sub-predictor joins, the clamped gradient `N + W − NW` (LOCO-I's
/// median edge detector), and `predict` also sets `texture`, the pattern of causal neighbours above
/// the prediction that `BiasCancellation` keys on.
///
/// The error rows live in memory the predictor owns (noncopyable, freed in `deinit`): the per-pixel
/// reads and writes go through pointers, without an array's bounds and uniqueness checks; `predict`
/// checks the pixel's coordinates once, which puts every index below in range.
/// Wrapping arithmetic throughout: samples are bounded by 2^18 (both coders check), errors are clipped
/// to ±2^30, and every sum and product below stays under 2^62 (see the comments at each).
struct RasterPredictor<Version: RasterVersion>: ~Copyable {
    let width: Int
    /// Version 5's fifth sub-predictor and texture pattern (a constant of the specialised type).
    private var gradient: Bool { Version.refined }
    /// Sub-predictors per pixel: 4, or 5 with `gradient`.
    private static var subCount: Int { Version.refined ? 5 : 4 }
    /// Sub-predictor errors `|p_i − 8v|`, per row parity, x and predictor: `[(row & 1) * width + x] * subCount + i`
    /// (`2 * width * subCount` entries).
    private let subErrors: UnsafeMutablePointer<Int32>
    /// The final prediction's signed error `p − 8v` (Q3), per row parity and x (`2 * width` entries).
    private let trueErrors: UnsafeMutablePointer<Int32>
    /// The sub-predictions and the final prediction at the current pixel, kept for `update`.
    private var sub: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
    private var subGradient: Int64 = 0
    private var finalQ3: Int64 = 0
    /// The final prediction's errors at N, W, NW and NE (Q3; 0 where missing), set by `predict`.
    private(set) var neighbourErrorsQ3: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
    /// With `gradient`, set by `predict`: bit k set when neighbour k of (N, W, NW, NE, NN, WW)
    /// lies above the final prediction (0...63).
    private(set) var texture = 0
    /// The five sub-predictions and the final prediction (Q3) of the pixel last predicted (version 5),
    /// for the learned conditioner's features (`RasterFeatures`).
    var predictionsQ3: (sub: (Int64, Int64, Int64, Int64, Int64), final: Int64) {
        ((sub.0, sub.1, sub.2, sub.3, subGradient), finalQ3)
    }

    /// Relative trust in each sub-predictor (JPEG XL's defaults; the gradient's measured: 8 beat 12 and 16).
    static var maxWeights: (Int64, Int64, Int64, Int64) { (13, 12, 12, 12) }
    static var gradientMaxWeight: Int64 { 8 }

    init(width: Int) {
        self.width = max(width, 1)
        subErrors = .allocate(capacity: 2 * self.width * Self.subCount)
        subErrors.initialize(repeating: 0, count: 2 * self.width * Self.subCount)
        trueErrors = .allocate(capacity: 2 * self.width)
        trueErrors.initialize(repeating: 0, count: 2 * self.width)
    }

    deinit {
        subErrors.deallocate()
        trueErrors.deallocate()
    }

    /// The Q8 prediction of pixel `(x, y)` from the decoded values `v` (raster order, `width`
    /// wide; the rows above and the pixels to the left filled) and its activity: the neighbours'
    /// prediction errors and gradients, plus twice `lead` (the first channel's residual here,
    /// under channel conditioning). Precondition: `x < width` and row `y` lies within `v`.
    @inline(__always)
    mutating func predict(_ v: UnsafeBufferPointer<Int32>, x: Int, y: Int, lead: Int32) -> (predictionQ8: Int32, activity: Int32) {
        let w = width
        let here = y * w
        // The one check: 0 <= x < w and y >= 0 with the whole row y in v. Every read of v below is
        // then in rows y - 2...y (only when those exist) at columns x - 2...x + 1 (only when those
        // exist), and every error index is below 2 * w (times subCount).
        precondition(UInt(bitPattern: x) < UInt(w) && y >= 0 && here <= v.count &- w, "pixel outside the plane")
        let hasN = y > 0, hasW = x > 0, hasE = x &+ 1 < w
        let up = here &- w
        let N = hasN ? Int64(v[up &+ x]) : hasW ? Int64(v[here &+ x &- 1]) : 0
        let W = hasW ? Int64(v[here &+ x &- 1]) : N
        let NW = hasN && hasW ? Int64(v[up &+ x &- 1]) : N
        let NE = hasN && hasE ? Int64(v[up &+ x &+ 1]) : N
        let rowN = ((y &- 1) & 1) &* w, rowC = (y & 1) &* w
        let teN = hasN ? Int64(trueErrors[rowN &+ x]) : 0
        let teW = hasW ? Int64(trueErrors[rowC &+ x &- 1]) : 0
        let teNW = hasN && hasW ? Int64(trueErrors[rowN &+ x &- 1]) : 0
        let teNE = hasN && hasE ? Int64(trueErrors[rowN &+ x &+ 1]) : 0
        neighbourErrorsQ3 = (teN, teW, teNW, teNE)
        // Samples below 2^18, errors within ±2^30: every term below is under 2^36.
        let n8 = N &<< 3, w8 = W &<< 3, ne8 = NE &<< 3
        let p0 = w8 &+ ne8 &- n8
        let (p1, p2, p3) = Version.correctedSubPredictions(n8: n8, w8: w8, teN: teN, teW: teW, teNW: teNW, teNE: teNE)
        sub = (p0, p1, p2, p3)
        // Each sub-predictor's error sum at N, W, NW, NE and WW; weight ∝ trust / (sum + 1).
        var sums: (Int64, Int64, Int64, Int64) = (1, 1, 1, 1)
        var gradientSum: Int64 = 1
        let nSub = Self.subCount, useGradient = gradient, e = subErrors
        // Error sums: at most five entries of at most 2^30 each.
        @inline(__always) func add(_ k: Int) {
            let b = k &* nSub
            sums.0 &+= Int64(e[b]); sums.1 &+= Int64(e[b &+ 1]); sums.2 &+= Int64(e[b &+ 2]); sums.3 &+= Int64(e[b &+ 3])
            if useGradient { gradientSum &+= Int64(e[b &+ 4]) }
        }
        if hasN { add(rowN &+ x); if hasW { add(rowN &+ x &- 1) }; if hasE { add(rowN &+ x &+ 1) } }
        if hasW { add(rowC &+ x &- 1) }
        if x > 1 { add(rowC &+ x &- 2) }
        let m = Self.maxWeights
        let w0 = Self.weight(m.0, sums.0), w1 = Self.weight(m.1, sums.1)
        let w2 = Self.weight(m.2, sums.2), w3 = Self.weight(m.3, sums.3)
        // Weights < 2^29, sub-predictions < 2^33 in magnitude: the products and their sum fit in Int64.
        var num = w0 &* p0 &+ w1 &* p1 &+ w2 &* p2 &+ w3 &* p3, den = w0 &+ w1 &+ w2 &+ w3
        if gradient {
            let nw8 = NW &<< 3
            let p4 = min(max(n8 &+ w8 &- nw8, min(n8, w8)), max(n8, w8))
            let w4 = Self.weight(Self.gradientMaxWeight, gradientSum)
            subGradient = p4
            num &+= w4 &* p4
            den &+= w4
        }
        // Floor division; den >= 4 (each weight is at least 1).
        let quotient = num / den
        var p = num % den < 0 ? quotient &- 1 : quotient
        if hasN && hasW && hasE {
            // Never outside the range of the three upper/left neighbours, as JPEG XL clamps.
            p = min(max(p, min(w8, min(n8, ne8))), max(w8, max(n8, ne8)))
        }
        finalQ3 = p
        if gradient {
            let nn8 = (y > 1 ? Int64(v[up &- w &+ x]) : N) &<< 3, ww8 = (x > 1 ? Int64(v[here &+ x &- 2]) : W) &<< 3
            texture = (n8 > p ? 1 : 0) | (w8 > p ? 2 : 0) | ((NW &<< 3) > p ? 4 : 0) | (ne8 > p ? 8 : 0)
                | (nn8 > p ? 16 : 0) | (ww8 > p ? 32 : 0)
        }
        let aN = Self.magnitude(teN), aW = Self.magnitude(teW)
        let maxError = max(max(aN, aW), max(Self.magnitude(teNW), Self.magnitude(teNE)))
        let grad = Self.magnitude(N &- NW) &+ Self.magnitude(W &- NW) &+ Self.magnitude(NE &- N)
        // Measured on train/validation photos: the errors weighted 4× the gradient (per pixel
        // unit) beat 1/2×–2× and the sum of all four neighbours' errors.
        let errs = (maxError &+ aN &+ aW) >> 1
        let activity = errs &+ grad &+ 2 &* Int64(lead.magnitude)
        return (Int32(truncatingIfNeeded: p << 5), Int32(truncatingIfNeeded: min(activity, Int64(Int32.max))))
    }

    /// `(trust << 24) / errorSum + 1` (trust < 16, errorSum ≥ 1), with a 32-bit division where
    /// it gives the same quotient: the numerator is below 2^28, so a sum of 2^32 or more gives 0.
    @inline(__always)
    static func weight(_ trust: Int64, _ errorSum: Int64) -> Int64 {
        errorSum > Int64(UInt32.max) ? 1 : Int64(UInt32(truncatingIfNeeded: trust << 24) / UInt32(truncatingIfNeeded: errorSum)) + 1
    }

    /// `|x|` for the bounded differences above (never `Int64.min`), without a trap check.
    @inline(__always)
    static func magnitude(_ x: Int64) -> Int64 {
        let sign = x >> 63
        return (x ^ sign) &- sign
    }

    /// Records the true value of the pixel last predicted (at `x` of the row `predict` last checked).
    @inline(__always)
    mutating func update(x: Int, y: Int, value: Int32) {
        precondition(UInt(bitPattern: x) < UInt(width), "pixel outside the row")
        let v8 = Int64(value) &<< 3
        // x < width: k < 2 * width, and b + 4 < 2 * width * subCount.
        let k = (y & 1) &* width &+ x
        @inline(__always) func clip(_ e: Int64) -> Int32 { Int32(truncatingIfNeeded: min(max(e, -(1 << 30)), 1 << 30)) }
        let b = k &* Self.subCount
        subErrors[b] = clip(Self.magnitude(sub.0 &- v8))
        subErrors[b &+ 1] = clip(Self.magnitude(sub.1 &- v8))
        subErrors[b &+ 2] = clip(Self.magnitude(sub.2 &- v8))
        subErrors[b &+ 3] = clip(Self.magnitude(sub.3 &- v8))
        if gradient { subErrors[b &+ 4] = clip(Self.magnitude(subGradient &- v8)) }
        trueErrors[k] = clip(finalQ3 &- v8)
    }
}

/// What sets the raster payload versions apart in `RasterPredictor` and `RasterCoder`'s decoding
/// loop. Constants of a type, so that every use is resolved when the loop is specialised.
protocol RasterVersion {
    /// Version 5: the gradient sub-predictor, the texture pattern and `BiasCancellation`.
    static var refined: Bool { get }
    /// The three error-corrected sub-predictions (Q3) from N, W (Q3) and the final prediction's
    /// errors at N, W, NW and NE (Q3, within ±2^30).
    static func correctedSubPredictions(n8: Int64, w8: Int64, teN: Int64, teW: Int64, teNW: Int64,
                                        teNE: Int64) -> (Int64, Int64, Int64)
}

/// Payload version 5, what the encoder writes.
enum RasterVersion5: RasterVersion {
    static var refined: Bool { true }

    /// JPEG XL's error-corrected N, W, N with its multipliers halved (measured on train/validation
    /// photos beside 1/4, 3/8 and 1). Every term is under 2^36.
    @inline(__always)
    static func correctedSubPredictions(n8: Int64, w8: Int64, teN: Int64, teW: Int64, teNW: Int64,
                                        teNE: Int64) -> (Int64, Int64, Int64) {
        (n8 &- (((teW &+ teN &+ teNE) &* 8) >> 5),
         w8 &- (((teW &+ teN &+ teNW) &* 5) >> 5),
         n8 &- (((teNW &+ teN &+ teNE) &* 4) >> 5))
    }
}
