#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The code length of an integer under a discretized logistic, in bits, and its gradient: the
/// training loss of the learned prior.
///
/// With `a = (v + ½ − μ)/s`, `b = (v − ½ − μ)/s`: `P(v) = σ(a) − σ(b) = σ(a) σ(−b) (1 − e^{−1/s})`,
/// so `ln P = ln σ(a) + ln σ(−b) + ln(1 − e^{−1/s})`, stable for any `a`, `b`. The scale is
/// `s = 2^ℓ`; `ℓ` is clamped to `log2ScaleRange` (gradient 0 outside), the mean is `μ = m + Δ`.
public enum LogisticLoss {
    /// The range of `log2 s` training may use: a sixteenth of a value up to 2^12.
    public static let log2ScaleRange: ClosedRange<Float> = -4...12

    @inline(__always) static func logSigmoid(_ x: Float) -> Float { x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x)) }
    @inline(__always) static func sigmoid(_ x: Float) -> Float { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

    /// `−log2 P(v)` for mean `mean + delta` and scale `2^log2Scale`, with its derivatives with
    /// respect to `delta` and `log2Scale`.
    @inline(__always)
    public static func bits(value v: Float, mean m: Float, delta: Float, log2Scale raw: Float)
        -> (bits: Float, dDelta: Float, dLog2Scale: Float) {
        let l = min(max(raw, log2ScaleRange.lowerBound), log2ScaleRange.upperBound)
        let s = exp2(l)
        let mu = m + delta
        let a = (v + 0.5 - mu) / s, b = (v - 0.5 - mu) / s
        let u = 1 / s
        let lnP = logSigmoid(a) + logSigmoid(-b) + log(-expm1(-u))
        let sa = sigmoid(-a), sb = sigmoid(b)
        let dLnPdMu = (sb - sa) / s
        let dLnPds = (-a * sa + b * sb) / s - 1 / (expm1(u) * s * s)
        let inRange = raw == l ? Float(1) : 0
        let k = -1 / Float(M_LN2)
        return (k * lnP, k * dLnPdMu, k * dLnPds * s * Float(M_LN2) * inRange)
    }
}
