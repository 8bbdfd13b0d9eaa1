/// A self-correcting mix of candidate translations (in the spirit of JPEG XL's weighted
/// predictor): each candidate is weighted by how well it predicted the already-decoded neighbours
/// of the pixel in the same band — left and up (counted twice), up-left, up-right, and the pixels
/// two to the left and two up.
///
/// `w_k = max(1, 2^46 / min(E_k + 64, 2^15)³)` with `E_k = Σ_n m_n |256 x_n − c_k[n]| / 32`
/// (weighted error sum, brought to an 8-bit scale by `shift`), and the result
/// `Σ w_k c_k / Σ w_k` (Q8). Reads only values before pixel `i` in raster order, so the decoder,
/// which pops the band in that order, computes the same mix. Integer only; with values bounded by
/// 2^18 every sum fits in Int64 (weights ≤ 2^28, candidates < 2^26).
enum AdaptiveBlend {
    @inline(__always)
    static func predict(_ candidates: [[Int32]], values x: [Int32], _ i: Int, _ w: Int, shift: Int32) -> Int32 {
        let col = i % w
        var num: Int64 = 0, den: Int64 = 0
        for c in candidates {
            var e: Int64 = 0
            if col > 0 { e += 2 * (Int64(x[i - 1]) << 8 - Int64(c[i - 1])).magnitude.asInt64 }
            if col > 1 { e += (Int64(x[i - 2]) << 8 - Int64(c[i - 2])).magnitude.asInt64 }
            if i >= 2 * w { e += (Int64(x[i - 2 * w]) << 8 - Int64(c[i - 2 * w])).magnitude.asInt64 }
            if i >= w {
                e += 2 * (Int64(x[i - w]) << 8 - Int64(c[i - w])).magnitude.asInt64
                if col > 0 { e += (Int64(x[i - w - 1]) << 8 - Int64(c[i - w - 1])).magnitude.asInt64 }
                if col + 1 < w { e += (Int64(x[i - w + 1]) << 8 - Int64(c[i - w + 1])).magnitude.asInt64 }
            }
            let d = (e >> (5 + shift)) + 64
            let dc = min(d, 1 << 15)
            let weight = max(1, (Int64(1) << 46) / (dc * dc * dc))     // ≥ 1: the sum never divides by 0
            num += weight * Int64(c[i])
            den += weight
        }
        return Int32(truncatingIfNeeded: floorDivide(num, den))
    }
}

extension UInt64 {
    /// The value as Int64, clamped (used on magnitudes of bounded differences).
    @inline(__always) var asInt64: Int64 { Int64(clamping: self) }
}
