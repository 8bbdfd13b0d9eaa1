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
    /// The mix of `candidates` (any number, each with at least `i + 1` entries, as `x`).
    @inline(__always)
    static func predict(_ candidates: [[Int32]], values x: [Int32], _ i: Int, _ w: Int, shift: Int32) -> Int32 {
        precondition(w > 0 && i >= 0 && i < x.count)
        var num: Int64 = 0, den: Int64 = 0
        x.withUnsafeBufferPointer { x in
            for c in candidates {
                precondition(i < c.count)
                c.withUnsafeBufferPointer { c in add(c, values: x, i, col: i % w, w, shift: shift, num: &num, den: &den) }
            }
        }
        return Int32(truncatingIfNeeded: floorDivide(num, den))
    }

    /// The mix of the three interpolating candidates at every pixel of a band `w` wide whose values
    /// `x` are all known (the encoder's side).
    static func predictBand(_ candidates: [[Int32]], values x: [Int32], _ w: Int, shift: Int32) -> [Int32] {
        let n = x.count
        precondition(candidates.count >= 3 && candidates[0..<3].allSatisfy { $0.count == n } && (n == 0 || w > 0))
        var out = [Int32](repeating: 0, count: n)
        // i < n, the size of every view, and col = i % w.
        out.withUnsafeMutableBufferPointer { out in
        x.withUnsafeBufferPointer { x in
        candidates[0].withUnsafeBufferPointer { c0 in
        candidates[1].withUnsafeBufferPointer { c1 in
        candidates[2].withUnsafeBufferPointer { c2 in
            var col = 0
            for i in 0..<n {
                out[i] = predict(c0, c1, c2, values: x, i, col: col, w, shift: shift)
                col &+= 1
                if col == w { col = 0 }
            }
        }}}}}
        return out
    }

    /// The mix of the three interpolating candidates `[blend, line one, line two]` at pixel `i`
    /// (column `col`) of a band `w` wide. Precondition (the caller's, checked once per band):
    /// `i < c0.count, c1.count, c2.count, x.count` and `0 <= col < w`, `col = i % w`.
    @inline(__always)
    static func predict(_ c0: UnsafeBufferPointer<Int32>, _ c1: UnsafeBufferPointer<Int32>, _ c2: UnsafeBufferPointer<Int32>,
                        values x: UnsafeBufferPointer<Int32>, _ i: Int, col: Int, _ w: Int, shift: Int32) -> Int32 {
        var num: Int64 = 0, den: Int64 = 0
        add(c0, values: x, i, col: col, w, shift: shift, num: &num, den: &den)
        add(c1, values: x, i, col: col, w, shift: shift, num: &num, den: &den)
        add(c2, values: x, i, col: col, w, shift: shift, num: &num, den: &den)
        // den >= 3 (every weight is at least 1): floor division without overflow.
        let q = num / den
        return Int32(truncatingIfNeeded: num % den < 0 ? q &- 1 : q)
    }

    /// Adds candidate `c`'s weighted term to `num` and its weight to `den`. Reads `c` and `x` at `i`
    /// and at the neighbours the column and row allow, all at indices `<= i` (the caller's range).
    /// Wrapping arithmetic: values below 2^18 and candidates below 2^26 make each error below 2^27,
    /// their sum below 2^30, the weight at most 2^28 and each term below 2^54.
    @inline(__always)
    static func add(_ c: UnsafeBufferPointer<Int32>, values x: UnsafeBufferPointer<Int32>, _ i: Int, col: Int, _ w: Int,
                    shift: Int32, num: inout Int64, den: inout Int64) {
        @inline(__always) func error(_ k: Int) -> Int64 {
            let d = Int64(x[k]) &<< 8 &- Int64(c[k])
            let sign = d >> 63
            return (d ^ sign) &- sign
        }
        var e: Int64 = 0
        if col > 0 { e &+= 2 &* error(i &- 1) }
        if col > 1 { e &+= error(i &- 2) }
        if i >= 2 &* w { e &+= error(i &- 2 &* w) }
        if i >= w {
            e &+= 2 &* error(i &- w)
            if col > 0 { e &+= error(i &- w &- 1) }
            if col &+ 1 < w { e &+= error(i &- w &+ 1) }
        }
        let d = (e >> (5 &+ Int64(shift))) &+ 64
        let dc = min(d, 1 << 15)
        let weight = max(1, (Int64(1) << 46) / (dc &* dc &* dc))     // ≥ 1: the sum never divides by 0
        num &+= weight &* Int64(c[i])
        den &+= weight
    }
}

extension UInt64 {
    /// The value as Int64, clamped (used on magnitudes of bounded differences).
    @inline(__always) var asInt64: Int64 { Int64(clamping: self) }
}
