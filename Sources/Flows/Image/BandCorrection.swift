/// A per-band linear correction of the coupling's translation from values the decoder already
/// knows: `t' = t + Σ β_k f_k`, with the features (`features(...)`)
/// - `e_left`, `e_up`: the uncorrected residuals `e = x − round(t)` of the pixels left of and above
///   in the same band (0 at the border) — an autoregressive term on the residual field;
/// - `e_lead`: channel 0's residual at the same position (channel conditioning; 0 for channel 0);
/// - `alt − t`: how far the other base translation (see below) lies from the chosen one, so the
///   fit can blend the two.
/// The weights `β` are Q6 bytes fitted by the encoder per band (least squares, integer coordinate
/// descent), kept only if they shrink the band's residuals, and sent in the header.
///
/// The base `t` itself is chosen per band too: the `InterlacedPredictor` interpolation, or the
/// *nearest* coarse pixel `a(i, j)` (exact on pixel-replicated, upscaled images).
///
/// Still an additive coupling: `t'` reads only decoded values, so `x = z + round(t')` inverts it.
struct BandCorrection: Equatable {
    static let featureCount = 4
    /// Serialized size: a mode byte and the weights.
    static let byteCount = 1 + featureCount
    /// Weights are clamped to ±`weightLimit` / 64.
    static let weightLimit: Int32 = 96
    /// Q6 weights for (left, up, lead, alternative).
    var weights: [Int8]
    /// Base translation: the nearest coarse pixel instead of the interpolation.
    var nearest = false

    /// No correction on the interpolating base.
    static let zero = BandCorrection(weights: [0, 0, 0, 0])

    /// The features of pixel `i` of a band `w` wide, in Q4. `e` holds the band's uncorrected
    /// residuals (at least those before `i`); `baseQ8`/`alternativeQ8` are the two base
    /// translations of this pixel. Decoded values are bounded by 2^18, so every feature stays
    /// below 2^23 and `termQ8` cannot overflow.
    @inline(__always)
    static func features(_ e: [Int32], _ i: Int, _ w: Int, lead: [Int32]?, baseQ8: Int32, alternativeQ8: Int32) -> SIMD4<Int64> {
        SIMD4(i % w > 0 ? 16 * Int64(e[i - 1]) : 0,
              i >= w ? 16 * Int64(e[i - w]) : 0,
              16 * Int64(lead?[i] ?? 0),
              (Int64(alternativeQ8) - Int64(baseQ8)) >> 4)
    }

    /// `features` for loops over a whole band on unsafe views: `e` as there, `col = i % w`, `lead`
    /// channel 0's residual at `i` (0 without channel conditioning). Reads `e` at `i - 1` and `i - w`
    /// only where the column and row allow, so `i < e.count` (the caller's check) keeps them in range.
    @inline(__always)
    static func features(_ e: UnsafeBufferPointer<Int32>, _ i: Int, col: Int, _ w: Int, lead: Int32,
                         baseQ8: Int32, alternativeQ8: Int32) -> SIMD4<Int64> {
        SIMD4(col > 0 ? 16 &* Int64(e[i &- 1]) : 0,
              i >= w ? 16 &* Int64(e[i &- w]) : 0,
              16 &* Int64(lead),
              (Int64(alternativeQ8) &- Int64(baseQ8)) >> 4)
    }

    /// The weights as a vector, for `termQ8(_:weights:)` in a loop.
    var weightVector: SIMD4<Int64> {
        SIMD4<Int64>(Int64(weights[0]), Int64(weights[1]), Int64(weights[2]), Int64(weights[3]))
    }

    /// The correction in Q8: `Σ β f` is Q10 (Q6 weights × Q4 features).
    @inline(__always)
    func termQ8(_ f: SIMD4<Int64>) -> Int32 {
        Self.termQ8(f, weights: weightVector)
    }

    @inline(__always)
    static func termQ8(_ f: SIMD4<Int64>, weights b: SIMD4<Int64>) -> Int32 {
        Int32(truncatingIfNeeded: (b &* f).wrappedSum() >> 2)
    }

    /// Least-squares weights predicting `e` (in Q10) from the features. Integer only: four rounds
    /// of coordinate descent with rounded division, each weight clamped to ±`weightLimit`.
    /// Sums wrap rather than trap; a wrapped sum only makes a worse fit, which `keptIfSmaller`
    /// then rejects — the weights are sent, so any fit decodes correctly.
    static func fit(residuals e: [Int32], width: Int, lead: [Int32]?, baseQ8: [Int32], alternativeQ8: [Int32]) -> BandCorrection {
        guard width > 0, !e.isEmpty else { return .zero }
        var gram = [SIMD4<Int64>](repeating: .zero, count: 4)
        var target = SIMD4<Int64>.zero
        let n = e.count
        precondition(baseQ8.count == n && alternativeQ8.count == n && (lead?.count ?? n) == n, "band arrays of one size")
        // Unsafe views of arrays of n entries, read at i < n (and before i, by `features`).
        e.withUnsafeBufferPointer { e in
        (lead ?? []).withUnsafeBufferPointer { leadView in
        baseQ8.withUnsafeBufferPointer { baseQ8 in
        alternativeQ8.withUnsafeBufferPointer { alternativeQ8 in
            var col = 0
            for i in 0..<n {
                let f = features(e, i, col: col, width, lead: lead == nil ? 0 : leadView[i], baseQ8: baseQ8[i],
                                 alternativeQ8: alternativeQ8[i])
                target &+= (1024 &* Int64(e[i])) &* f
                for k in 0..<4 { gram[k] &+= f[k] &* f }
                col &+= 1
                if col == width { col = 0 }
            }
        }}}}
        var beta = SIMD4<Int64>.zero
        for _ in 0..<4 {
            for k in 0..<4 where gram[k][k] > 0 {
                var num = target[k]
                for j in 0..<4 where j != k { num &-= beta[j] &* gram[k][j] }
                let q = roundedDivide(num, gram[k][k])
                beta[k] = min(max(q, -Int64(weightLimit)), Int64(weightLimit))
            }
        }
        return BandCorrection(weights: (0..<4).map { Int8(beta[$0]) })
    }

    /// `self` if it lowers the band's sum of absolute residuals (a proxy for its code length;
    /// least squares is not the code-length optimum), else the same base without correction.
    func keptIfSmaller(residuals e: [Int32], width: Int, lead: [Int32]?, values: [Int32],
                       baseQ8: [Int32], alternativeQ8: [Int32]) -> BandCorrection {
        let plainCorrection = BandCorrection(weights: [0, 0, 0, 0], nearest: nearest)
        guard self != plainCorrection else { return self }
        var plain: Int64 = 0, corrected: Int64 = 0
        for i in e.indices {
            let f = Self.features(e, i, width, lead: lead, baseQ8: baseQ8[i], alternativeQ8: alternativeQ8[i])
            plain += Int64(e[i].magnitude)
            corrected += Int64((values[i] &- roundQ8(baseQ8[i] &+ termQ8(f))).magnitude)
        }
        return corrected < plain ? self : plainCorrection
    }
}

/// `a / b` rounded to nearest (half away from zero), `b > 0`.
@inline(__always) func roundedDivide(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? (a &+ b / 2) / b : -((b / 2 &- a) / b)
}
