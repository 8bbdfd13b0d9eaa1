/// Uniform over `[0, count)` for `1 <= count <= 2^16`, quantised at precision 31.
///
/// `2^31 = q * count + r`: the first `r` values get `q + 1` slots, the others `q`. Since
/// `q >= 2^15`, a value costs at most `log2(1 + 2^-15)` (about 4.4e-5) bits more than `log2(count)`.
@usableFromInline
struct QuantizedUniform: SymbolDistribution {
    @usableFromInline static let bits = 31
    @usableFromInline let count: UInt32
    @usableFromInline let q: UInt32
    @usableFromInline let r: UInt32

    @inlinable
    init(count: UInt32) {
        let total: UInt32 = 1 << 31
        self.count = count
        q = total / count
        r = total % count
    }

    @inlinable var precision: Int { Self.bits }

    @inlinable
    func interval(of symbol: Int) -> SymbolInterval {
        let v = UInt32(symbol)
        return SymbolInterval(start: v &* q &+ min(v, r), frequency: v < r ? q &+ 1 : q)
    }

    @inlinable
    func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        let wide = r &* (q &+ 1)  // slots of the values that got one extra slot
        let v = slot < wide ? slot / (q &+ 1) : r &+ (slot &- wide) / q
        return (Int(v), interval(of: Int(v)))
    }
}

extension RansStack {
    /// Pushes `value`, uniform over `[0, count)`. Precondition: `1 <= count <= 1 << 32`, `value < count`.
    ///
    /// Counts above 2^16 are split: `value = hi << k + lo` with `k` chosen so `hi` takes fewer than
    /// 2^16 values; `lo` is uniform over `2^k`, or over what is left in the last, partial chunk, so
    /// `popUniform` can only return values below `count`. Cost: within about 1e-4 bits of `log2(count)`.
    public mutating func pushUniform(_ value: UInt64, count: UInt64) {
        precondition(count >= 1 && count <= 1 << 32 && value < count, "uniform value out of range")
        let k = Self.uniformChunkBits(count)
        if k == 0 {
            if count > 1 { push(Int(value), QuantizedUniform(count: UInt32(count))) }
            return
        }
        let hi = value >> k
        let hiCount = ((count - 1) >> k) + 1
        let loCount = hi == hiCount - 1 ? count - (hi << k) : 1 << k
        push(Int(value & ((1 << k) - 1)), QuantizedUniform(count: UInt32(loCount)))
        push(Int(hi), QuantizedUniform(count: UInt32(hiCount)))
    }

    /// Pops a value uniform over `[0, count)` (a sample when past the pushed data).
    /// Precondition: `1 <= count <= 1 << 32`.
    public mutating func popUniform(count: UInt64) -> UInt64 {
        precondition(count >= 1 && count <= 1 << 32, "uniform count out of range")
        let k = Self.uniformChunkBits(count)
        if k == 0 {
            return count > 1 ? UInt64(pop(QuantizedUniform(count: UInt32(count)))) : 0
        }
        let hiCount = ((count - 1) >> k) + 1
        let hi = UInt64(pop(QuantizedUniform(count: UInt32(hiCount))))
        let loCount = hi == hiCount - 1 ? count - (hi << k) : 1 << k
        let lo = UInt64(pop(QuantizedUniform(count: UInt32(loCount))))
        return (hi << k) | lo
    }

    /// Pops a value uniform over `[0, 2^bits)`: exactly `popUniform(count: 1 << bits)` (same intervals,
    /// same state), with the slot's top bits as the value instead of a division. Inlinable, for
    /// decoders that pop raw low bits per symbol. Precondition: `1 <= bits <= 16`.
    @inlinable
    public mutating func popUniform(bits: Int) -> UInt64 {
        // `QuantizedUniform(count: 2^bits)`: q = 2^(31 - bits) slots per value, r = 0.
        let low = UInt64(QuantizedUniform.bits &- bits)
        let value = (state & ((1 << UInt64(QuantizedUniform.bits)) &- 1)) &>> low
        pop(SymbolInterval(start: UInt32(truncatingIfNeeded: value &<< low), frequency: UInt32(1) &<< UInt32(low)),
            precision: QuantizedUniform.bits)
        return value
    }

    /// Bits of the low chunk: 0 when `count <= 2^16`, else enough that the high part has at most 2^16 values.
    @usableFromInline
    static func uniformChunkBits(_ count: UInt64) -> UInt64 {
        let width = UInt64(64 - (count - 1).leadingZeroBitCount)  // bits of the largest value
        return width > 16 ? width - 16 : 0
    }
}
