#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The decoder's linear prediction (layer 3) in 16-bit lanes, for signals that fit 25 bits (coupled
/// samples of at most 24 bits): the same `μ` as `LinearPredictor.prediction`, bit for bit, in about a
/// third of the instructions (SSE2 `pmaddwd` instead of scalar Int64 products).
///
/// Each sample is kept split as `x = hi·2^15 + lo`, `lo = x & 0x7FFF` (0...2^15 - 1), `hi = x >> 15`,
/// so `Σ c·x = 2^15·Σ c·hi + Σ c·lo`. With `|c| ≤ 2^14` (coefficient precision ≤ 15 bits) one
/// `pmaddwd` lane of `c·lo` is below 2^30 and is widened to Int64 before it is summed; with
/// `|x| < 2^25`, `|hi| ≤ 2^10` and all 32 products `c·hi` sum below 2^29 in Int32. Both sums are
/// exact, so the result equals the Int64 sum's. A corrupt stream may produce wider samples: their
/// split wraps (no trap) and they decode to wrong values, which the payload's checks reject.
enum NarrowPrediction {
    /// Whether this build has the 16-bit kernel (x86-64, where SSE2 is always present).
    static var isAvailable: Bool {
        #if arch(x86_64)
        true
        #else
        false
        #endif
    }

    /// Widest samples (before coupling) whose coupled signal the kernel predicts exactly.
    static let maxSampleBits = 24

    /// `x` as `(lo, hi)`; exact for `|x| < 2^30`, wrapping beyond.
    @inline(__always)
    static func split(_ x: Int32) -> (lo: Int16, hi: Int16) {
        (Int16(truncatingIfNeeded: x & 0x7FFF), Int16(truncatingIfNeeded: x >> 15))
    }

    /// `μ = (Σ_k c[k]·x[k]) >> shift` over `8·groups` samples `x` (split in `lo`, `hi`, oldest first)
    /// and coefficients `c` in the same order (the oldest sample's weight first, zero-padded).
    @inline(__always)
    static func prediction(lo: UnsafePointer<Int16>, hi: UnsafePointer<Int16>, _ c: UnsafePointer<Int16>,
                           groups: Int, shift: Int) -> Int32 {
        #if arch(x86_64)
        var low = _mm_setzero_si128()   // two Int64 lanes
        var high = _mm_setzero_si128()  // four Int32 lanes
        var g = 0
        while g < groups {
            let k = 8 &* g
            let cv = _mm_loadu_si128(UnsafeRawPointer(c + k).assumingMemoryBound(to: __m128i.self))
            let l = _mm_madd_epi16(_mm_loadu_si128(UnsafeRawPointer(lo + k).assumingMemoryBound(to: __m128i.self)), cv)
            high = _mm_add_epi32(high, _mm_madd_epi16(
                _mm_loadu_si128(UnsafeRawPointer(hi + k).assumingMemoryBound(to: __m128i.self)), cv))
            let sign = _mm_srai_epi32(l, 31)
            low = _mm_add_epi64(low, _mm_add_epi64(_mm_unpacklo_epi32(l, sign), _mm_unpackhi_epi32(l, sign)))
            g &+= 1
        }
        let l64: SIMD2<Int64> = low  // __m128i is SIMD2<Int64> in Swift
        let h32 = unsafeBitCast(high, to: SIMD4<Int32>.self).wrappedSum()
        let sum = (l64[0] &+ l64[1]) &+ (Int64(h32) &<< 15)
        return Int32(truncatingIfNeeded: sum &>> Int64(shift))  // shift <= 24: masking equals checked
        #else
        var sum: Int64 = 0
        for k in 0..<(8 * groups) { sum &+= Int64(c[k]) &* ((Int64(hi[k]) &<< 15) | Int64(lo[k])) }
        return Int32(truncatingIfNeeded: sum &>> Int64(shift))
        #endif
    }
}
