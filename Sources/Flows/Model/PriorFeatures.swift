/// The inputs of the learned image prior: a fixed-length integer feature vector per latent, built
/// only from what the decoder already knows when it pops that latent (docs/DESIGN.md §1, §6: small,
/// well-placed context). Training (FlowTraining) reads the very same integers, so the float model
/// and the fixed-point model see identical inputs; only their arithmetic differs.
///
/// Every feature is in Q4 (real value × 16) and clamped to ±`limit`, which bounds the first
/// layer's accumulator (see `ModelQuantizer` in FlowTraining). The features of pixel `i` of a band
/// `w` wide, where `P` is the Q8 translation after the band's correction:
///
/// | # | feature |
/// |--:|---|
/// | 0 | `log2q(activity >> shift)`: the hand-made activity from the coarser data |
/// | 1 | `log2q(causalEnergy >> shift)`: the decoded neighbours' error energy |
/// | 2–5 | the uncorrected residuals left, up, up-left, up-right (signed; 0 where missing) |
/// | 6 | channel 0's residual at this position under channel conditioning (else 0) |
/// | 7–9 | the candidates line one, line two, nearest coarse pixel, minus `P` |
/// | 10 | `log2q(|line one − line two|)` in pixels: how much the two directions disagree |
/// | 11 | the fractional part of `P` (`P − 256·round(P)`, in Q8 → Q4) |
/// | 12, 13 | level is 0, level is 1 (16 or 0) |
/// | 14 | the band is `d` (16 or 0) |
/// | 15, 16 | channel is 1, channel is 2 or 3 (16 or 0) |
/// | 17 | the image has 3 or more channels (16 or 0) |
/// | 18 | `log2q(4·|parent|)`: the residual at the same place in the same subband one level coarser |
/// | 19 | `log2q(Σ|parent 2×2|)`: the parent and its right, lower and lower-right neighbours |
/// | 20 | `log2q(4·|sibling|)`: for `b`, `c` bands, the `d` band's residual at the same place |
/// | 21 | a parent exists (16 or 0) |
///
/// Features 18–21 come from the residuals of bands already decoded (`ResidualMemory`).
public enum PriorFeatures {
    /// Length of the feature vector.
    public static let count = 22
    /// Every feature lies in `-limit...limit`.
    public static let limit: Int32 = 2048

    /// `16 · log2(1 + x)` for `x ≥ 0`, piecewise linear between powers of two (integer only):
    /// `16k + 16·(y − 2^k) / 2^k` with `y = 1 + x`, `k = ⌊log2 y⌋`. At most 16 · 32.
    @inline(__always)
    public static func log2q(_ x: Int32) -> Int32 {
        let y = UInt32(max(x, 0)) &+ 1
        let k = Int32(31 - y.leadingZeroBitCount)
        let frac = Int32(truncatingIfNeeded: ((UInt64(y) - (UInt64(1) << UInt64(k))) << 4) >> UInt64(k))
        return 16 &* k &+ frac
    }

    @inline(__always) static func clamp(_ v: Int64) -> Int32 { Int32(min(max(v, -Int64(limit)), Int64(limit))) }
    @inline(__always) static func flag(_ b: Bool) -> Int32 { b ? 16 : 0 }

    /// Where the band sits in the hierarchy (the constant part of the features).
    public struct BandPosition: Sendable, Equatable {
        /// Level (0 = full resolution), whether the band is `d`, its channel, the image's channels.
        public var level: Int, isDiagonal: Bool, channel: Int, channels: Int
        /// A position from its fields.
        public init(level: Int, isDiagonal: Bool, channel: Int, channels: Int) {
            self.level = level
            self.isDiagonal = isDiagonal
            self.channel = channel
            self.channels = channels
        }
    }

    /// Writes the `count` features of pixel `i` into `out`. `e` holds the band's uncorrected
    /// residuals (at least those before `i`), `candidatesQ8` the flow's `[blend, line one,
    /// line two, nearest]`, `pQ8` the corrected translation of pixel `i`.
    @inline(__always)
    public static func write(into out: UnsafeMutablePointer<Int32>, e: [Int32], _ i: Int, _ w: Int,
                             candidatesQ8: [[Int32]], pQ8: Int32, activity: Int32, causal: Int32,
                             shift: Int32, lead: [Int32]?, band: BandPosition, relatives: Relatives) {
        let x = i % w
        let left = x > 0 ? Int64(e[i - 1]) : 0
        let up = i >= w ? Int64(e[i - w]) : 0
        let ul = i >= w && x > 0 ? Int64(e[i - w - 1]) : 0
        let ur = i >= w && x + 1 < w ? Int64(e[i - w + 1]) : 0
        let p = Int64(pQ8)
        let one = Int64(candidatesQ8[1][i]), two = Int64(candidatesQ8[2][i]), near = Int64(candidatesQ8[3][i])
        out[0] = log2q(activity >> shift)
        out[1] = log2q(causal >> shift)
        out[2] = clamp(16 * left)
        out[3] = clamp(16 * up)
        out[4] = clamp(16 * ul)
        out[5] = clamp(16 * ur)
        out[6] = clamp(16 * Int64(lead?[i] ?? 0))
        out[7] = clamp((one - p) >> 4)
        out[8] = clamp((two - p) >> 4)
        out[9] = clamp((near - p) >> 4)
        out[10] = log2q(Int32(clamping: (one - two).magnitude >> 8) >> shift)
        out[11] = Int32(truncatingIfNeeded: (p - ((p + 128) >> 8) << 8) >> 4)
        out[12] = flag(band.level == 0)
        out[13] = flag(band.level == 1)
        out[14] = flag(band.isDiagonal)
        out[15] = flag(band.channel == 1)
        out[16] = flag(band.channel >= 2)
        out[17] = flag(band.channels >= 3)
        out[18] = log2q(4 &* relatives.parent)
        out[19] = log2q(relatives.parentBlock)
        out[20] = log2q(4 &* relatives.sibling)
        out[21] = flag(relatives.hasParent)
    }

    /// Magnitudes of residuals of bands decoded earlier, related to the pixel (`ResidualMemory`).
    public struct Relatives: Sendable {
        /// |parent|, Σ|parent 2×2|, |sibling| (0 where missing).
        public var parent: Int32 = 0, parentBlock: Int32 = 0, sibling: Int32 = 0
        /// Whether the band has a parent band.
        public var hasParent = false
        /// No relatives.
        public init() {}
    }
}
