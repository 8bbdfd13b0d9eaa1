/// A per-band linear correction of the coupling's translation from residuals the decoder already
/// knows: `t' = t + Σ β_k f_k`, with the features
/// `f = (e_left, e_up, e_lead)` — the uncorrected residuals `e = x − round(t)` of the pixels left of
/// and above in the same band (0 at the border), and of channel 0 at the same position (channel
/// conditioning; 0 for channel 0 itself). The weights `β` are Q6 bytes fitted by the encoder per
/// band (least squares, integer coordinate descent) and sent in the header.
///
/// The base `t` itself is chosen per band too: the `InterlacedPredictor` interpolation, or the
/// *nearest* coarse pixel `a(i, j)` (exact on pixel-replicated, upscaled images).
///
/// Still an additive coupling: `t'` reads only decoded values, so `x = z + round(t')` inverts it.
struct BandCorrection: Equatable {
    static let featureCount = 3
    /// Serialized size: a mode byte and the weights.
    static let byteCount = 1 + featureCount
    /// Weights are clamped to ±`weightLimit` / 64.
    static let weightLimit: Int32 = 96
    /// Q6 weights for (left, up, lead).
    var weights: [Int8]
    /// Base translation: the nearest coarse pixel instead of the interpolation.
    var nearest = false

    static let zero = BandCorrection(weights: [0, 0, 0])

    /// The correction in Q8 (β is Q6, so × 4). Features are bounded by the decoder's value limit
    /// (2^18), so this cannot overflow.
    @inline(__always)
    func termQ8(_ left: Int32, _ up: Int32, _ lead: Int32) -> Int32 {
        4 &* (Int32(weights[0]) &* left &+ Int32(weights[1]) &* up &+ Int32(weights[2]) &* lead)
    }

    /// Least-squares weights for predicting `64 e` from the features of the band `e`
    /// (`width` wide) and the lead residuals. Integer only: four rounds of coordinate descent with
    /// rounded division, each weight clamped to ±`weightLimit`.
    static func fit(residuals e: [Int32], width: Int, lead: [Int32]?) -> BandCorrection {
        guard width > 0, !e.isEmpty else { return .zero }
        var gram = [[Int64]](repeating: [Int64](repeating: 0, count: 3), count: 3)
        var target = [Int64](repeating: 0, count: 3)
        for i in e.indices {
            let f = [i % width > 0 ? Int64(e[i - 1]) : 0, i >= width ? Int64(e[i - width]) : 0, Int64(lead?[i] ?? 0)]
            for k in 0..<3 {
                target[k] &+= 64 &* Int64(e[i]) &* f[k]
                for j in 0..<3 { gram[k][j] &+= f[k] &* f[j] }
            }
        }
        var beta: [Int64] = [0, 0, 0]
        for _ in 0..<4 {
            for k in 0..<3 where gram[k][k] > 0 {
                var num = target[k]
                for j in 0..<3 where j != k { num &-= beta[j] &* gram[k][j] }
                let q = roundedDivide(num, gram[k][k])
                beta[k] = min(max(q, -Int64(weightLimit)), Int64(weightLimit))
            }
        }
        return BandCorrection(weights: beta.map { Int8($0) })
    }
}

extension BandCorrection {
    /// `self` if it lowers the band's sum of absolute residuals (a proxy for its code length;
    /// least squares is not the code-length optimum), else `.zero`.
    func keptIfSmaller(residuals e: [Int32], width: Int, lead: [Int32]?, values: [Int32], predictionsQ8: [Int32]) -> BandCorrection {
        let plainCorrection = BandCorrection(weights: [0, 0, 0], nearest: nearest)
        guard self != plainCorrection else { return self }
        var plain: Int64 = 0, corrected: Int64 = 0
        for i in e.indices {
            let left = i % width > 0 ? e[i - 1] : 0, up = i >= width ? e[i - width] : 0
            plain += Int64(e[i].magnitude)
            corrected += Int64((values[i] &- roundQ8(predictionsQ8[i] &+ termQ8(left, up, lead?[i] ?? 0))).magnitude)
        }
        return corrected < plain ? self : plainCorrection
    }
}

/// `a / b` rounded to nearest (half away from zero), `b > 0`.
@inline(__always) func roundedDivide(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b)
}
