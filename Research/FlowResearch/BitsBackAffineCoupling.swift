import EntropyCoding
import Flows

/// iFlow's modular scale transform: multiplies integers by `s ≈ R/S` exactly, paying the volume
/// change with bits-back on the rANS stack.
///
/// Per element, forward: pop `r ~ U[0,R)`, `v = R·x + r`, `y = ⌊v / S⌋`, push `v mod S ~ U[0,S)`.
/// Inverse (reverse element order): pop `m = v mod S`, `v = S·y + m`, `x = ⌊v / R⌋`, push `v mod R`.
/// Each step undoes the other exactly, so the stack returns to its former state.
/// Cost: `log2(S/R) = −log2 s` bits per element (pushed `log2 S`, got back `log2 R`).
/// The transform is a bijection ℤ → ℤ × [0,S) ⇄ ℤ × [0,R): every `(x, r)` maps to one `(y, m)`.
public struct BitsBackAffineCoupling: Sendable, Equatable {
    /// Numerator of the scale `s = R/S`, in 1...65536.
    public let r: UInt32
    /// Denominator of the scale `s = R/S`, in 1...65536.
    public let s: UInt32

    /// Fails (returns nil) unless both are in 1...65536.
    public init?(numerator r: UInt32, denominator s: UInt32) {
        guard (1...65536).contains(r), (1...65536).contains(s) else { return nil }
        self.r = r
        self.s = s
    }

    /// Scales `x` by `R/S`, elements in order, using and feeding `stack`.
    /// Throws if a result leaves the Int32 range.
    public func forward(_ x: [Int32], stack: inout RansStack) throws(FlowsError) -> [Int32] {
        var y = x
        let bigR = Int64(r), bigS = Int64(s)
        for i in x.indices {
            let rem = Int64(stack.popUniform(count: UInt64(r)))
            let v = bigR * Int64(x[i]) + rem
            let q = floorDivide(v, bigS)
            stack.pushUniform(UInt64(v - q * bigS), count: UInt64(s))
            guard let out = Int32(exactly: q) else { throw FlowsError.unsupported("scaled value out of Int32 range") }
            y[i] = out
        }
        return y
    }

    /// Undoes `forward`, elements in reverse order. Throws if a result leaves the Int32 range
    /// (only possible on values `forward` did not produce).
    public func inverse(_ y: [Int32], stack: inout RansStack) throws(FlowsError) -> [Int32] {
        var x = y
        let bigR = Int64(r), bigS = Int64(s)
        for i in y.indices.reversed() {
            let m = Int64(stack.popUniform(count: UInt64(s)))
            let v = bigS * Int64(y[i]) + m
            let q = floorDivide(v, bigR)
            stack.pushUniform(UInt64(v - q * bigR), count: UInt64(r))
            guard let out = Int32(exactly: q) else { throw FlowsError.corrupt("unscaled value out of Int32 range") }
            x[i] = out
        }
        return x
    }
}

/// `⌊a / b⌋` for `b > 0` (Swift's `/` truncates toward zero); Flows keeps its own copy for the codec.
@inline(__always) func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b < 0) ? q - 1 : q
}
