import EntropyCoding

/// The prior on the latents of the audio flow: a discretized logistic centred on 0 whose scale comes
/// from a *context*, the running mean of the latent's recent magnitudes, through a small table the
/// encoder fits per chunk and sends (per-file adaptation, docs/DESIGN.md §7).
///
/// Context: `level` is a running mean of `|z|` in Q4, `level += (16|z| - level) >> 3` (integer, so
/// encoder and decoder follow it identically); its bucket is `⌊4·log2(level + 1)⌋` read from the top
/// bits (quarter octaves), 0 ... `bucketCount - 1`.
public struct ScaleContext: Sendable, Equatable {
    /// Buckets: quarter octaves of a Q4 level below 2^40.
    public static let bucketCount = 160
    /// Running mean of `16·|z|` over the recent latents.
    public private(set) var level: UInt64 = 0

    /// A context before any latent: level 0.
    public init() {}

    /// The bucket of the current level.
    @inline(__always)
    public var bucket: Int { Self.bucket(of: level + 1) }

    /// `⌊4·log2(v)⌋` for `v >= 1`: the octave and the next two bits below the leading one.
    @inline(__always)
    static func bucket(of v: UInt64) -> Int {
        let top = 63 - v.leadingZeroBitCount
        // Masking shifts: both amounts are in 0...61 here, where they equal the checked ones.
        let fraction = top >= 2 ? Int((v &>> UInt64(top &- 2)) & 3) : Int((v &<< UInt64(2 &- top)) & 3)
        return min(4 * top + fraction, bucketCount - 1)
    }

    /// Moves the context past a latent.
    @inline(__always)
    public mutating func update(_ z: Int32) {
        // level ± ⌊|target - level| / 8⌋, without a branch (its direction is a coin toss per latent):
        // both are below 2^37, so the difference fits Int64; `m` is its sign as all ones or zero.
        let delta = Int64(UInt64(z.magnitude) << 4) &- Int64(level)
        let m = delta >> 63
        let step = ((delta ^ m) &- m) >> 3
        level = UInt64(Int64(level) &+ ((step ^ m) &- m))
    }
}

/// Logistic scales on a log grid: code `c` (0...`maxCode`) is scale `2^(c/8) / 16`, in Q8 `16·2^(c/8)`.
/// One byte per code, steps of 9 %: a scale off by half a step costs about 0.001 bit per sample.
public enum ScaleCode {
    /// Largest code: scale 2^22, so Q8 scales stay below 2^31.
    public static let maxCode = 8 * 26
    /// `2^(i/8)` in Q16 for i = 0...7.
    static let steps: [UInt64] = [65536, 71468, 77936, 84990, 92682, 101070, 110218, 120194]

    /// The scale of code `c`, Q8.
    @inline(__always)
    public static func scaleQ8(_ c: Int) -> Int32 {
        Int32((steps[c & 7] << UInt64(c >> 3)) >> 12)
    }

    /// The code whose scale is nearest (on the log grid) to `scaleQ8`.
    public static func code(nearest scaleQ8: UInt64) -> Int {
        var best = 0
        var bestDistance = UInt64.max
        for c in 0...maxCode {
            let s = UInt64(Self.scaleQ8(c))
            // Compare ratios: distance in the log domain ~ max(a, b) / min(a, b).
            let d = s > scaleQ8 ? (s << 16) / max(scaleQ8, 1) : (max(scaleQ8, 1) << 16) / s
            if d < bestDistance { bestDistance = d; best = c }
        }
        return best
    }
}

/// How one latent is coded: its low `lowBits` bits uniform, the rest under a logistic of scale
/// `scaleQ8 >> lowBits`. Splitting keeps the coded window under 2^13 values or so for any scale, so
/// the one floor slot every value gets costs nothing noticeable at precision 24.
public struct LatentCoding: Sendable {
    /// Slot bits of the logistic: the most `DiscretizedLogistic` allows.
    public static let precision = 24
    /// Low bits coded uniformly (0 for scales below 256).
    public let lowBits: Int
    /// The distribution of the high part.
    public let distribution: DiscretizedLogistic

    @inline(__always)
    public init(scaleQ8: Int32) {
        let width = 32 - scaleQ8.leadingZeroBitCount           // scale < 2^(width - 8)
        lowBits = max(0, width - 16)                           // remaining scale in [128, 256) when split
        distribution = DiscretizedLogistic(meanQ8: 0, scaleQ8: scaleQ8 >> Int32(lowBits),
                                           support: Int32.min...Int32.max, precision: Self.precision)
    }

    /// Pushes `z`: the low bits first, so that they pop last.
    @inline(__always)
    public func push(_ z: Int32, on stack: inout RansStack) {
        if lowBits > 0 {
            stack.pushUniform(UInt64(UInt32(bitPattern: z) & ((1 << UInt32(lowBits)) - 1)), count: 1 << UInt64(lowBits))
        }
        stack.push(escaping: z >> Int32(lowBits), distribution)
    }

    @inline(__always)
    public func pop(from stack: inout RansStack) -> Int32 { pop(from: &stack, through: distribution) }

    /// Pops with `table` standing in for `distribution` (the same intervals, `TabulatedLogistic`).
    @inline(__always)
    func pop<D: EscapableDistribution>(from stack: inout RansStack, through table: D) -> Int32 {
        let high = stack.pop(escaping: table)
        guard lowBits > 0 else { return high }
        let low = Int32(truncatingIfNeeded: stack.popUniform(bits: lowBits))
        return (high &<< Int32(lowBits)) | low
    }
}
