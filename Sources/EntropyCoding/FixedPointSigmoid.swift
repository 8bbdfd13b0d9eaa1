/// The logistic sigmoid `1 / (1 + e^-t)` in integer arithmetic, the same on every machine.
///
/// A table holds `sigmoid(k / 64)` in Q32 for `k = 0 ... 24 * 64`, built at first use from integer
/// operations only (no libm: `exp` is not correctly rounded everywhere, so a float-built table could
/// differ between machines). Between entries it interpolates linearly, which keeps it monotone.
@usableFromInline
enum FixedPointSigmoid {
    /// Arguments are in Q16; the table covers `|t| < 24`, beyond which `1 - sigmoid < 2^-34`.
    /// (Constants are computed properties: a stored `static let` is reached through a lazy-initialisation
    /// check at every use from another module, which cost the audio decoder 3 % of its instructions.)
    @inlinable static var argumentBits: Int { 16 }
    @inlinable static var stepBits: Int { 6 }  // 64 entries per unit of t
    @inlinable static var limitQ16: Int64 { 24 << 16 }
    /// The table's last index: it holds `k = 0 ... lastIndex`.
    @inlinable static var lastIndex: Int { 24 << 6 }
    /// `one` is 1.0 in Q32.
    @inlinable static var one: UInt64 { 1 << 32 }

    @usableFromInline static let table: [UInt32] = {
        // r = e^(-1/64) in Q62 from its Taylor series (terms alternate and shrink fast).
        let q62: UInt64 = 1 << 62
        var r = q62
        var term = q62
        var j: UInt64 = 1
        while term > 0 {
            term /= 64 * j
            r = j % 2 == 1 ? r - term : r + term
            j += 1
        }
        var table: [UInt32] = []
        var e = q62  // e^(-k/64) in Q62
        for _ in 0...lastIndex {
            // sigmoid = 2^94 / (2^62 + e) in Q32; below 2^32 since e > 0.
            let (quotient, _) = (q62 + e).dividingFullWidth((high: 1 << 30, low: 0))
            table.append(UInt32(quotient))
            let (high, low) = e.multipliedFullWidth(by: r)
            e = (high << 2) | (low >> 62)
        }
        return table
    }()

    /// `sigmoid(t)` in Q32 for `t` in Q16: monotone non-decreasing, in `[0, 2^32]`, exactly 2^31 at 0.
    @inlinable
    static func cdf(_ tQ16: Int64) -> UInt64 {
        table.withUnsafeBufferPointer { cdf(tQ16, table: $0) }
    }

    /// `cdf(_:)` reading `table` from the caller: loops over many arguments look the table up once.
    /// `table` must be `FixedPointSigmoid.table` (`lastIndex + 1` entries).
    @inlinable
    static func cdf(_ tQ16: Int64, table: UnsafeBufferPointer<UInt32>) -> UInt64 {
        let a = min(tQ16.magnitude, UInt64(limitQ16))
        let shift = UInt64(argumentBits - stepBits)
        // a <= limitQ16, so i <= lastIndex: in range of the table (and i + 1 where it is read).
        let i = Int(truncatingIfNeeded: a &>> shift)
        let frac = a & ((1 << shift) &- 1)
        let low = UInt64(table[i])
        // Wrapping operators cannot wrap here: the table is non-decreasing, the step below 2^32
        // and frac below 2^10, so value <= table[lastIndex] < 2^32 = one.
        let value = i < lastIndex ? low &+ ((UInt64(table[i &+ 1]) &- low) &* frac) &>> shift : low
        return tQ16 >= 0 ? value : one &- value
    }

    /// `ln(a / b)` in Q16, approximately (error about 0.01), for `a, b >= 1`: the inverse sigmoid
    /// of `a / (a + b)`. Only used to start a search near the answer, so its accuracy affects
    /// speed, never results. Branch-free: `log2` from the leading bit plus a quadratic fit of the
    /// mantissa, `log2(1 + f) ~ f + 0.343 f (1 - f)`.
    @inlinable
    static func approximateLogRatio(_ a: UInt64, _ b: UInt64) -> Int64 {
        ((log2Q16(a) &- log2Q16(b)) &* 45426) >> 16  // 45426 = ln 2 in Q16
    }

    /// `log2(x)` in Q16 for `x >= 1` (below 64 << 16: no operator below can wrap).
    @inlinable
    static func log2Q16(_ x: UInt64) -> Int64 {
        let k = 63 &- x.leadingZeroBitCount
        let f = ((x &<< UInt64(truncatingIfNeeded: 63 &- k)) &<< 1) &>> 32  // mantissa bits below the leading one, Q32
        let bend = (f &* ((1 << 32) &- f)) &>> 32   // f (1 - f), Q32; f < 2^32
        return Int64(k) &<< 16 &+ Int64(truncatingIfNeeded: (f &+ (bend &* 22479) &>> 16) &>> 16)  // 22479 = 0.343 in Q16
    }
}
