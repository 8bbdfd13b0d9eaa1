/// `log2(x)` in Q16 fixed point (units of 2^−16 bit), integer arithmetic only, for `x ≥ 1`.
///
/// The integer part is the position of the top bit; the fraction is found bit by bit by squaring
/// the normalized mantissa `m ∈ [1, 2)` (held in Q31): if `m² ≥ 2` the next bit is 1 and `m² / 2`
/// continues. Exact to within 1 unit in the last place, identical on every machine.
@inline(__always)
func fixedLog2Q16(_ x: UInt64) -> Int64 {
    precondition(x >= 1)
    let n = 63 &- x.leadingZeroBitCount                                 // 0...63
    var m = n >= 31 ? x &>> UInt64(n &- 31) : x &<< UInt64(31 &- n)    // m / 2^31 ∈ [1, 2)
    var fraction: Int64 = 0
    for bit in stride(from: 15, through: 0, by: -1) {
        m = (m &* m) &>> 31          // m < 2^32, so m² < 2^64 does not wrap; m² in Q31, < 2^33
        if m >= 1 << 32 { m &>>= 1; fraction |= 1 &<< Int64(bit) }
    }
    return Int64(n) << 16 | fraction
}
