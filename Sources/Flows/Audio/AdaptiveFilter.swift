#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// A causal adaptive filter as an additive coupling along time: the latent is the residual minus the
/// filter's prediction from the past, and both directions update the filter with the same (e, z).
protocol AdaptiveFilter {
    func prediction() -> Int32
    mutating func update(e: Int32, z: Int32)
}

extension AdaptiveFilter {
    /// Forward: the latent of residual `e`.
    @inline(__always)
    mutating func forward(_ e: Int32) -> Int32 {
        let z = e &- prediction()
        update(e: e, z: z)
        return z
    }

    /// Inverse: the residual of latent `z`.
    @inline(__always)
    mutating func inverse(_ z: Int32) -> Int32 {
        let e = z &+ prediction()
        update(e: e, z: z)
        return e
    }
}

/// What the 16-bit-lane sign LMS filters share (`ScaledSignLMS`, and version 2's `SaturatingSignLMS`
/// in Legacy/): the dot product of weights and inputs, and the input shift that brings residuals
/// to 16-bit inputs.
enum LMSLanes {
    /// `Σ_k w[k]·h[k]` over `taps` (a multiple of 8) in wrapping Int32 (`w` 16-byte aligned).
    @inline(__always)
    static func dot(_ w: UnsafePointer<Int16>, _ h: UnsafePointer<Int16>, taps: Int) -> Int32 {
        #if arch(x86_64)
        // SSE2 `pmaddwd`: eight Int16 products summed in pairs into four Int32 lanes. A pair wraps
        // only for (-2^15)·(-2^15) twice, and then to the same value modulo 2^32 as the plain sum.
        // (The vectoriser widened four lanes at a time instead: twice the instructions.)
        var acc = _mm_setzero_si128()
        for k in stride(from: 0, to: taps, by: 8) {
            let a = _mm_load_si128(UnsafeRawPointer(w + k).assumingMemoryBound(to: __m128i.self))
            let b = _mm_loadu_si128(UnsafeRawPointer(h + k).assumingMemoryBound(to: __m128i.self))
            acc = _mm_add_epi32(acc, _mm_madd_epi16(a, b))
        }
        return unsafeBitCast(acc, to: SIMD4<Int32>.self).wrappedSum()
        #else
        var sum: Int32 = 0
        for k in 0..<taps { sum &+= Int32(w[k]) &* Int32(h[k]) }
        return sum
        #endif
    }

    /// The input shift for residuals of mean magnitude `mean`: the typical input then stays below 2^10,
    /// leaving 32× headroom before saturation.
    static func inputShift(meanMagnitude mean: UInt64) -> Int {
        min(24, max(0, (64 - mean.leadingZeroBitCount) - 10))
    }
}
