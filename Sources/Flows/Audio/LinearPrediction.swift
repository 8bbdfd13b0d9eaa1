/// The autoregressive additive integer coupling along time (docs/DESIGN.md §7: an autoregressive integer
/// flow): `z[i] = x[i] - round(μ(x[<i]))` with `μ` an integer linear predictor,
/// `μ = (Σ_j c[j] · x[i-1-j]) >> shift`. Samples before the start of the signal count as 0.
///
/// Invariants: the prediction is computed in Int64 (|x| < 2^31, |c| < 2^15, order ≤ 32, so
/// |Σ| < 2^51) and truncated to Int32; `z = x &- μ` and `x = z &+ μ` wrap modulo 2^32, so the layer
/// is a bijection on Int32 signals for every coefficient set, and volume-preserving (zero cost).
/// Decoding is sequential (each `x[i]` needs the ones before it); encoding is one pass.
public struct LinearPredictor: Sendable, Equatable {
    /// Most coefficients a predictor may have.
    public static let maxOrder = 32
    /// Coefficients are signed integers below `2^(maxPrecision - 1)` in magnitude.
    public static let maxPrecision = 15
    /// Largest shift.
    public static let maxShift = 24

    /// `c[0]` weighs the previous sample, `c[1]` the one before, ...
    public var coefficients: [Int32]
    /// The prediction is the weighted sum shifted right by this many bits.
    public var shift: Int

    /// A predictor; `coefficients.count <= maxOrder`, `0 <= shift <= maxShift` (preconditions).
    public init(coefficients: [Int32], shift: Int) {
        precondition(coefficients.count <= Self.maxOrder && (0...Self.maxShift).contains(shift))
        self.coefficients = coefficients
        self.shift = shift
    }

    /// The predictor that predicts 0: the identity coupling.
    public static let zero = LinearPredictor(coefficients: [], shift: 0)

    /// Number of past samples the predictor reads.
    public var order: Int { coefficients.count }

    /// `μ` for sample `i` of `x` (reads `x[i - order ..< i]`, zeros before index 0).
    @inline(__always)
    public func prediction(_ x: UnsafeBufferPointer<Int32>, at i: Int) -> Int32 {
        var sum: Int64 = 0
        if i >= coefficients.count {
            coefficients.withUnsafeBufferPointer { c in
                for j in 0..<c.count { sum &+= Int64(c[j]) &* Int64(x[i &- 1 &- j]) }
            }
        } else {
            for j in 0..<i { sum &+= Int64(coefficients[j]) &* Int64(x[i - 1 - j]) }
        }
        return Int32(truncatingIfNeeded: sum >> Int64(shift))
    }

    /// `μ` for the sample at `at`, from the `min(order, available)` samples before it, with
    /// coefficients `c[0..<order]`: the decoder's pointer form of `prediction(_:at:)`.
    @inline(__always)
    static func prediction(_ at: UnsafePointer<Int32>, _ available: Int, _ c: UnsafePointer<Int32>,
                           order: Int, shift: Int) -> Int32 {
        var sum: Int64 = 0
        for j in 0..<min(order, available) { sum &+= Int64(c[j]) &* Int64(at[-1 &- j]) }
        return Int32(truncatingIfNeeded: sum &>> Int64(shift))  // shift <= 24: masking equals checked
    }

    /// The same `μ` with every sample available and coefficients zero-padded to `paddedOrder`, a
    /// multiple of 4: four wrapping Int64 sums (equal to one, modulo 2^64), unrolled.
    @inline(__always)
    static func prediction(_ at: UnsafePointer<Int32>, _ c: UnsafePointer<Int32>, paddedOrder: Int, shift: Int) -> Int32 {
        var s0: Int64 = 0, s1: Int64 = 0, s2: Int64 = 0, s3: Int64 = 0
        var j = 0
        while j < paddedOrder {
            s0 &+= Int64(c[j]) &* Int64(at[-1 &- j])
            s1 &+= Int64(c[j &+ 1]) &* Int64(at[-2 &- j])
            s2 &+= Int64(c[j &+ 2]) &* Int64(at[-3 &- j])
            s3 &+= Int64(c[j &+ 3]) &* Int64(at[-4 &- j])
            j &+= 4
        }
        return Int32(truncatingIfNeeded: (s0 &+ s1 &+ s2 &+ s3) &>> Int64(shift))
    }

    /// Forward (inference): the residuals `z[i]` for `i` in `range`, appended to `z`.
    public func forward(_ x: [Int32], range: Range<Int>, into z: inout [Int32]) {
        x.withUnsafeBufferPointer { xp in
            for i in range { z.append(xp[i] &- prediction(xp, at: i)) }
        }
    }

    /// Inverse (sampling) of `forward` over a whole signal: `x[i] = z[i] + μ(x[<i])`, in order.
    public func inverse(_ z: [Int32]) -> [Int32] {
        var x = [Int32](repeating: 0, count: z.count)
        x.withUnsafeMutableBufferPointer { xp in
            for i in 0..<z.count { xp[i] = z[i] &+ prediction(UnsafeBufferPointer(xp), at: i) }
        }
        return x
    }

    /// Sum of `|z[i]|` over `range` (saturating), the encoder's quick cost proxy.
    public func residualMagnitude(_ x: [Int32], range: Range<Int>) -> UInt64 {
        var total: UInt64 = 0
        x.withUnsafeBufferPointer { xp in
            for i in range { total &+= UInt64((xp[i] &- prediction(xp, at: i)).magnitude) }
        }
        return total
    }
}
