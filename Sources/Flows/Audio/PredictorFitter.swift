/// Fits integer linear predictors to a block of samples, in integer arithmetic only (encoder side; the
/// coefficients are sent, so the decoder never repeats this): windowed autocorrelation, then
/// Levinson-Durbin in Q30 fixed point with 128-bit products, then quantisation with error feedback (as FLAC does).
public enum PredictorFitter {
    /// Fixed-point position of the Levinson-Durbin arithmetic.
    static let q = 30

    /// Predictors of every order `1...maxOrder` that the recursion reaches, indexed by order - 1, in Q30.
    /// Stops early (fewer results) when the block is silent, the recursion turns unstable, or a
    /// product would overflow.
    static func solve(_ x: ArraySlice<Int32>, maxOrder: Int) -> [[Int64]] {
        let n = x.count
        guard n > maxOrder, maxOrder >= 1 else { return [] }
        // Scale samples to |s| < 2^15 so that products stay below 2^30 and sums over at most 2^22
        // samples below 2^52.
        var peak: UInt32 = 0
        for v in x { peak = max(peak, v.magnitude) }
        guard peak > 0 else { return [] }
        let down = max(0, (32 - peak.leadingZeroBitCount) - 15)
        // Window: flat middle, smoothstep tapers over the first and last quarter (a Tukey-like window).
        let taper = max(1, n / 4)
        var w = [Int64](repeating: 0, count: n)
        var k = 0
        for v in x {
            let edge = min(k, n - 1 - k)
            var s = Int64(v >> Int32(down))
            if edge < taper {
                let t = Int64((edge << 15) / taper)                     // Q15 in [0, 1)
                let smooth = (t * t * ((3 << 15) - 2 * t)) >> 30         // 3t² - 2t³, Q15
                s = (s * smooth) >> 15
            }
            w[k] = s
            k += 1
        }
        var r = [Int64](repeating: 0, count: maxOrder + 1)
        w.withUnsafeBufferPointer { wp in
            for lag in 0...maxOrder {
                var sum: Int64 = 0
                for i in lag..<n { sum &+= wp[i] &* wp[i - lag] }
                r[lag] = sum
            }
        }
        guard r[0] > 0 else { return [] }
        r[0] += r[0] >> 28 + 1  // a noise floor 84 dB down keeps the normal equations well conditioned
        // Normalise so that R[0] = 2^q (|r[k]| <= r[0], so every quotient fits).
        let big = r.map { r[0].dividingFullWidth($0.multipliedFullWidth(by: 1 << Int64(q))).quotient }
        var c: [Int64] = []
        var err = big[0]
        var results: [[Int64]] = []
        for i in 1...maxOrder {
            // k = (R[i] - Σ c[j] R[i-1-j]) / err, every product checked.
            var num = big[i]
            for j in 0..<c.count {
                guard let p = mulShift(c[j], big[i - 1 - j]) else { return results }
                let (s, o) = num.subtractingReportingOverflow(p)
                if o { return results }
                num = s
            }
            // A stable recursion has |k| < 1, that is |num| < err.
            guard err > 0, num.magnitude < err.magnitude else { return results }
            let kq = err.dividingFullWidth(num.multipliedFullWidth(by: 1 << Int64(q))).quotient
            var next = c
            for j in 0..<c.count {
                guard let p = mulShift(kq, c[i - 2 - j]) else { return results }
                next[j] = c[j] - p
            }
            next.append(kq)
            c = next
            guard let k2 = mulShift(kq, kq), let loss = mulShift(k2, err) else { return results }
            err -= loss
            results.append(c)
        }
        return results
    }

    /// `(a · b) >> q` computed on 128 bits; nil when the result does not fit Int64.
    static func mulShift(_ a: Int64, _ b: Int64) -> Int64? {
        let (high, low) = a.multipliedFullWidth(by: b)
        let value = low >> UInt64(q) | UInt64(bitPattern: high) << UInt64(64 - q)
        guard high >> Int64(q) == Int64(bitPattern: value) >> 63 else { return nil }
        return Int64(bitPattern: value)
    }

    /// Quantises Q30 coefficients to `precision`-bit integers with the largest shift that fits.
    public static func quantize(_ c: [Int64], precision: Int) -> LinearPredictor {
        guard let peak = c.map({ $0.magnitude }).max(), peak > 0 else { return .zero }
        let limit = Int64(1) << Int64(precision - 1)
        // Largest shift with peak · 2^(shift - q) < limit.
        var shift = LinearPredictor.maxShift
        while shift > 0 && (Int64(peak) << Int64(shift)) >> Int64(q) >= limit { shift -= 1 }
        let drop = Int64(q - shift)
        var carry: Int64 = 0
        var out: [Int32] = []
        for v in c {
            let acc = v + carry
            let qv = min(max((acc + (drop > 0 ? 1 << (drop - 1) : 0)) >> drop, -limit + 1), limit - 1)
            carry = acc - (qv << drop)
            out.append(Int32(qv))
        }
        return LinearPredictor(coefficients: out, shift: shift)
    }
}
