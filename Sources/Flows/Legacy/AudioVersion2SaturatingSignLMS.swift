// Legacy, decode-only: flowAudio version 2's adaptive filter (layer 4 of `AudioFlowCodec`).
// Pinned by the golden streams Tests/FlowZipTests/Golden/wav-stereo-auto-v2.fz, wav-mono8-auto-v2.fz,
// float32-stereo-flow-v2.fz (container version 1) and Golden/v2/wav-stereo-auto-flowaudio-v2.fz,
// v2/float32-stereo-flow-flowaudio-v2.fz (container version 2). No encoder writes version 2 any more;
// the decoder runs this filter only for a version 2 payload, in the same generic sample loop as
// version 3 (`AudioFlowDecoder.decodeSamples`, specialised per filter type: no per-sample version test).

/// The adaptive coupling of flowAudio version 2: the sign-sign LMS of version 1 (`SignLMS`) in 16-bit
/// lanes, the way Monkey's Audio runs its filters, so that a decoder's inner loops vectorise with
/// plain SSE2 (Int16 products summed in Int32, Int16 min/max) instead of 64 scalar Int64 products.
/// While inputs fit 16 bits and weights stay within ±4 it computes exactly what version 1 does (64 taps,
/// step 2^-10); 32 taps were measured 0.3 % larger on the corpus recordings for 12 % fewer instructions.
///
/// Over residuals `e`, with `h[j]` the filter's input `sat16(e[i-1-j] >> inputShift)` (saturated to
/// Int16) and Int16 weights `w[j]`:
///   `z = e - ((Int64(Σ_j w[j]·h[j]) << inputShift) >> fractionBits)` (Σ in wrapping Int32, result
///   truncated to Int32), then, when `z ≠ 0`, `w[j] += step·sign(z)·sign(h[j])` clamped to ±`limit`.
/// Invariants: integer state only, updated by encoder and decoder from values both have, so the layer
/// is an exact bijection on Int32 sequences (wrapping add/subtract); `|w| ≤ limit = 2^14` and
/// `step = 4` keep every weight update inside Int16.
///
/// Storage: the inputs live in a buffer, oldest first, the window being the `order` entries before
/// `end`; weights are stored in the same (reversed) order, so the dot product walks both forward. When
/// the buffer is full the window moves back to the front (once per `spare` samples).
///
/// A struct over manually allocated buffers, so the decoder's per-sample calls copy no references
/// (no retain/release in the hot loop): its owner calls `deallocate()` once, and copies share state.
struct SaturatingSignLMS: AdaptiveFilter {
    /// Taps.
    static let order = 64
    /// Weights are Q`fractionBits`: ±`limit` is ±4 (a limit of ±1 stopped the filter from learning a
    /// plain periodic residual; on the corpus recordings neither limit is reached).
    static let fractionBits = 12
    static let limit: Int16 = 1 << 14
    /// Weight step per sample: 2^-10, as version 1's 32 in Q15.
    static let step: Int16 = 4
    static let spare = 1024

    /// The input is `e >> inputShift` (0...24), so that the filter sees 16-bit values at any bit depth.
    let inputShift: Int
    private let weights: UnsafeMutablePointer<Int16>
    /// Inputs, oldest first; the window is `inputs[end - order ..< end]`.
    private let inputs: UnsafeMutablePointer<Int16>
    /// `step · sign(input)`, laid out as `inputs`.
    private let signs: UnsafeMutablePointer<Int16>
    private var end = SaturatingSignLMS.order

    init(inputShift: Int) {
        precondition((0...24).contains(inputShift))
        self.inputShift = inputShift
        let n = Self.order + Self.spare
        // 16-byte aligned, for the SIMD loads of `update`.
        weights = UnsafeMutableRawPointer.allocate(byteCount: 2 * Self.order, alignment: 16)
            .bindMemory(to: Int16.self, capacity: Self.order)
        weights.initialize(repeating: 0, count: Self.order)
        inputs = .allocate(capacity: n)
        inputs.initialize(repeating: 0, count: n)
        signs = .allocate(capacity: n)
        signs.initialize(repeating: 0, count: n)
    }

    /// Frees the buffers; the filter (and every copy of it) is unusable afterwards.
    func deallocate() {
        weights.deallocate()
        inputs.deallocate()
        signs.deallocate()
    }

    @inline(__always)
    func prediction() -> Int32 {
        let sum = LMSLanes.dot(weights, inputs + (end &- Self.order), taps: Self.order)
        // Masking shifts: the amounts are in range, so they equal the checked ones without branches.
        return Int32(truncatingIfNeeded: (Int64(sum) &<< Int64(inputShift)) &>> Int64(Self.fractionBits))
    }

    /// Moves past residual `e`, whose latent was `z`.
    @inline(__always)
    mutating func update(e: Int32, z: Int32) {
        // Eight lanes at a time in explicit SIMD (the plain loop stayed scalar): Int16 add and
        // compare-select, all SSE2.
        let s = UnsafeRawPointer(signs + (end &- Self.order))
        let w = UnsafeMutableRawPointer(weights)
        if z > 0 {
            let top = SIMD8<Int16>(repeating: Self.limit)
            for k in stride(from: 0, to: 2 * Self.order, by: 16) {
                let v = w.load(fromByteOffset: k, as: SIMD8<Int16>.self) &+ s.loadUnaligned(fromByteOffset: k, as: SIMD8<Int16>.self)
                w.storeBytes(of: v.replacing(with: top, where: v .> top), toByteOffset: k, as: SIMD8<Int16>.self)
            }
        } else if z < 0 {
            let bottom = SIMD8<Int16>(repeating: -Self.limit)
            for k in stride(from: 0, to: 2 * Self.order, by: 16) {
                let v = w.load(fromByteOffset: k, as: SIMD8<Int16>.self) &- s.loadUnaligned(fromByteOffset: k, as: SIMD8<Int16>.self)
                w.storeBytes(of: v.replacing(with: bottom, where: v .< bottom), toByteOffset: k, as: SIMD8<Int16>.self)
            }
        }
        if end == Self.order &+ Self.spare {
            inputs.update(from: inputs + Self.spare, count: Self.order)
            signs.update(from: signs + Self.spare, count: Self.order)
            end = Self.order
        }
        let h = Int16(clamping: e &>> Int32(inputShift))
        inputs[end] = h
        signs[end] = h > 0 ? Self.step : (h < 0 ? -Self.step : 0)
        end &+= 1
    }
}

extension SaturatingSignLMS: ResidualFilter {}
extension SaturatingSignLMS: NarrowAdaptiveFilter {}
