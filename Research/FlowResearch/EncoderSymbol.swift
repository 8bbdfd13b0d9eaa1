import EntropyCoding

/// One symbol's encoder step with the division replaced by a multiplication (after ryg_rans'
/// `Rans64EncSymbol`), for distributions that keep a table of them (`Categorical`).
///
/// The step is `x' = (x / freq) << n + x % freq + start = x + start + q * (2^n - freq)` with
/// `q = x / freq`. For `x < 2^63` and `freq >= 2`, let `l = ceil(log2 freq)` and
/// `m = ceil(2^(63 + l) / freq)`, which is below 2^64. Then `q = (x * m) >> (63 + l)` exactly
/// (Granlund & Montgomery 1994, Thm. 4.2: the error `m * freq - 2^(63+l) < freq <= 2^l`), i.e. the
/// high 64 bits of `x * m`, shifted right by `l - 1`.
/// `freq == 1` takes `m = 2^64 - 1` and shift 0: the high word is `x - 1` (as `x >= 1`), and folding
/// the missing `2^n - 1` into the bias gives `x' = x * 2^n + start` again.
@usableFromInline
struct EncoderSymbol: Sendable {
    /// Renormalise (emit a word) when `x >= xMax`; 0 marks a symbol outside the support (frequency 0).
    @usableFromInline let xMax: UInt64
    @usableFromInline let reciprocal: UInt64
    @usableFromInline let bias: UInt64
    @usableFromInline let complement: UInt64
    @usableFromInline let shift: UInt64

    @usableFromInline
    init(_ interval: SymbolInterval, precision: Int) {
        let freq = UInt64(interval.frequency)
        let n = UInt64(precision)
        xMax = ((RansStack.rawLowerBound >> n) << 32) &* freq
        complement = (1 << n) - freq
        if freq < 2 {
            reciprocal = ~0
            shift = 0
            bias = UInt64(interval.start) + (1 << n) - 1
        } else {
            let l = UInt64(64 - (freq - 1).leadingZeroBitCount)
            // ceil(2^(63+l) / freq) = floor((2^(63+l) + freq - 1) / freq); high word 2^(l-1) < freq.
            reciprocal = freq.dividingFullWidth((high: 1 << (l - 1), low: freq - 1)).quotient
            shift = l - 1
            bias = UInt64(interval.start)
        }
    }

    /// The encoder step for a state `x` already renormalised (`x < xMax`).
    @inlinable
    func encode(_ x: UInt64) -> UInt64 {
        let q = x.multipliedFullWidth(by: reciprocal).high >> shift
        return x &+ bias &+ q &* complement
    }
}
