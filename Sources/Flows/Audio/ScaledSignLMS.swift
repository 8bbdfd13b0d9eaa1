#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// flowAudio version 3's adaptive coupling: a sign-error LMS in 16-bit lanes like
/// `SaturatingSignLMS`, but each tap's step scales with its input, as Monkey's Audio's filters adapt
/// (its "NN filter" since 3.98): a large input moves its weight further, and older inputs move less.
///
/// Over residuals `e`, with `h[j] = sat16(e[i-1-j] >> inputShift)` and Int16 weights `w[j]` (Q12):
///   `z = e - ((Int64(Σ_j w[j]·h[j]) << inputShift) >> 12)` (Σ in wrapping Int32, result truncated to
///   Int32), then `w[j] ±= d[j]` with the sign of `z` (nothing when `z = 0`), in saturating Int16 adds.
/// The step `d` of an input `h` is set when it arrives, from `level`, a running mean of `16·|h|`:
/// `4·base` when `16·|h| > 3·level`, `2·base` when `48·|h| > 4·level`, `base` otherwise, 0 when
/// `h = 0`, with `h`'s sign; then `level += (16·|h| - level) >> 4` (arithmetic shift). The step is
/// halved (arithmetic shift) when its input becomes the 2nd, the 3rd and the 9th most recent, so lags
/// 1, 2, 3-8 and 9+ step by `d`, `d/2`, `d/4`, `d/8` (`base` a multiple of 8 keeps these exact and
/// symmetric in sign).
/// Invariants: integer state only, updated by encoder and decoder from values both have, so the filter
/// is an exact bijection on Int32 sequences (wrapping add/subtract).
///
/// Storage as `SaturatingSignLMS`: inputs and steps oldest first in buffers with `spare` room, the
/// window being the `order` entries before `end`; weights in the same order. A struct over manually
/// allocated buffers (no reference counting in the decoder's loop): its owner calls `deallocate()` once.
struct ScaledSignLMS<Shape: ScaledLMSShape>: AdaptiveFilter {
    static var fractionBits: Int { 12 }
    static var spare: Int { 1024 }

    /// Taps and step, constants of the type so that the SIMD loops unroll (with a stored order, loop
    /// overhead took an earlier two-stage version from 458 M to 605 M decoding instructions on loop_tabla).
    var order: Int { Shape.order }
    var baseStep: Int16 { Shape.baseStep }
    /// The input is `e >> inputShift` (0...24), so that the filter sees 16-bit values at any bit depth.
    let inputShift: Int
    private let weights: UnsafeMutablePointer<Int16>
    private let inputs: UnsafeMutablePointer<Int16>
    /// The signed step of each input divided by 8 (its step from lag 9 on), laid out as `inputs`.
    private let steps: UnsafeMutablePointer<Int16>
    private var end: Int
    /// Running mean of `16·|h|` (Q4: a floor-shifted mean of `|h|` itself sat low, 0.2 % larger).
    private var level: Int32 = 0

    init(inputShift: Int) {
        precondition(Shape.order >= 16 && Shape.order % 8 == 0 && Shape.baseStep % 8 == 0 && Shape.baseStep > 0
                     && Shape.baseStep <= 1024)
        precondition((0...24).contains(inputShift))
        self.inputShift = inputShift
        end = Shape.order
        let n = Shape.order + Self.spare
        // 16-byte aligned, for the SIMD loads of `dot` and `update`.
        weights = UnsafeMutableRawPointer.allocate(byteCount: 2 * Shape.order, alignment: 16)
            .bindMemory(to: Int16.self, capacity: Shape.order)
        weights.initialize(repeating: 0, count: Shape.order)
        inputs = .allocate(capacity: n)
        inputs.initialize(repeating: 0, count: n)
        steps = .allocate(capacity: n)
        steps.initialize(repeating: 0, count: n)
    }

    /// Frees the buffers; the filter (and every copy of it) is unusable afterwards.
    func deallocate() {
        weights.deallocate()
        inputs.deallocate()
        steps.deallocate()
    }

    @inline(__always)
    func prediction() -> Int32 {
        let sum = LMSLanes.dot(weights, inputs + (end &- order), taps: order)
        // Masking shifts: the amounts are in range, so they equal the checked ones without branches.
        return Int32(truncatingIfNeeded: (Int64(sum) &<< Int64(inputShift)) &>> Int64(Self.fractionBits))
    }

    /// Moves past residual `e`, whose latent was `z`.
    @inline(__always)
    mutating func update(e: Int32, z: Int32) {
        let s = steps + (end &- order)
        if z > 0 {
            Self.addSaturating(weights, s, order, negate: false)
        } else if z < 0 {
            Self.addSaturating(weights, s, order, negate: true)
        }
        if end == order &+ Self.spare {
            inputs.update(from: inputs + Self.spare, count: order)
            steps.update(from: steps + Self.spare, count: order)
            end = order
        }
        let h = Int16(clamping: e &>> Int32(inputShift))
        inputs[end] = h
        let a16 = Int32(h.magnitude) &<< 4
        // The step from sign masks, without branches (data-dependent branches here mispredicted about
        // every other sample: 0.06 s more CPU for the 21.6 MB WAV): each comparison is the sign of a
        // difference (all terms below 2^22). 16|h| > 3·level implies 48|h| > 4·level, so the two
        // masks add up to the octave (0, 1, 2).
        let octave = 0 &- (((3 &* level) &- a16) &>> 31) &- (((4 &* level) &- 3 &* a16) &>> 31)
        let nonzero = (0 &- a16) &>> 31
        let d = (Int32(baseStep) &<< octave) & nonzero
        let m = Int32(h) &>> 15
        // Stored as d/8 (exact: d is a multiple of 8), the step of lags 9 and beyond; `addSaturating`
        // scales the 8 most recent back up, which equals halving them as they age without narrow
        // stores into the window the next SIMD loads read.
        steps[end] = Int16(truncatingIfNeeded: ((d ^ m) &- m) &>> 3)
        level &+= (a16 &- level) &>> 4
        end &+= 1
    }

    /// `w[k] = sat16(w[k] ± s[k]·r[k])` for `k < order` (`w` 16-byte aligned), where `r[k]` is 1 but
    /// for the 8 most recent inputs (the last 8 `k`): 2, 2, 2, 2, 2, 2, 4, 8.
    @inline(__always)
    static func addSaturating(_ w: UnsafeMutablePointer<Int16>, _ s: UnsafePointer<Int16>, _ order: Int, negate: Bool) {
        #if arch(x86_64)
        // SSE2 `paddsw`/`psubsw`: add and clamp in one instruction per eight weights; `pmullw` scales the last eight.
        var k = 0
        while k < order &- 8 {
            let wp = UnsafeMutableRawPointer(w + k).assumingMemoryBound(to: __m128i.self)
            let v = _mm_loadu_si128(UnsafeRawPointer(s + k).assumingMemoryBound(to: __m128i.self))
            wp.pointee = negate ? _mm_subs_epi16(wp.pointee, v) : _mm_adds_epi16(wp.pointee, v)
            k &+= 8
        }
        let wp = UnsafeMutableRawPointer(w + k).assumingMemoryBound(to: __m128i.self)
        let v = _mm_mullo_epi16(_mm_loadu_si128(UnsafeRawPointer(s + k).assumingMemoryBound(to: __m128i.self)),
                                _mm_setr_epi16(2, 2, 2, 2, 2, 2, 4, 8))
        wp.pointee = negate ? _mm_subs_epi16(wp.pointee, v) : _mm_adds_epi16(wp.pointee, v)
        #else
        for k in 0..<order {
            let r: Int32 = k < order - 8 ? 1 : [2, 2, 2, 2, 2, 2, 4, 8][k - (order - 8)]
            let step = Int32(s[k]) * r
            w[k] = Int16(clamping: negate ? Int32(w[k]) - step : Int32(w[k]) + step)
        }
        #endif
    }
}

/// The constants of one `ScaledSignLMS` filter.
protocol ScaledLMSShape {
    /// Taps: a multiple of 8 (one SIMD group), at least 16.
    static var order: Int { get }
    /// Step of an input of typical size, Q12: a multiple of 8, at most 1024.
    static var baseStep: Int16 { get }
}

/// Version 3's filter: 128 taps, base step 8 (2^-9).
enum Version3Shape: ScaledLMSShape {
    static var order: Int { 128 }
    static var baseStep: Int16 { 8 }
}
