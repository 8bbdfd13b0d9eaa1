/// Escape coding: any Int32 is encodable under a parametric distribution.
///
/// A value in `dist.codedRange` is pushed as itself. Any other value `v` is pushed as its index among
/// the `2^32 - codedRange.count` Int32 values *outside* the window (uniform, about 32 bits), then the
/// escape symbol on top. Counting only the outside values makes pop/push exact inverses even when
/// popping samples: a sampled escape always yields a value that pushes back through the escape.
extension RansStack {
    /// Any Int32 is encodable: values outside the distribution's support go through an escape symbol + raw bits.
    @inlinable
    public mutating func push<D: EscapableDistribution>(escaping value: Int32, _ dist: D) {
        let range = dist.codedRange
        if range.contains(value) {
            push(Int(value), dist)
            return
        }
        let (index, count) = Self.outsideIndex(of: value, window: range)
        pushUniform(index, count: count)
        push(escapeSymbol, dist)
    }

    /// Pops a value pushed with `push(escaping:_:)`, or samples one (escapes included).
    @inlinable
    public mutating func pop<D: EscapableDistribution>(escaping dist: D) -> Int32 {
        let symbol = pop(dist)
        if symbol != escapeSymbol { return Int32(truncatingIfNeeded: symbol) }
        let range = dist.codedRange
        let below = UInt64(Int64(range.lowerBound) - Int64(Int32.min))
        let count = (UInt64(1) << 32) - UInt64(range.count)
        let index = popUniform(count: count)
        let offset = index < below ? index : index + UInt64(range.count)
        return Int32(truncatingIfNeeded: Int64(Int32.min) + Int64(offset))
    }

    /// Index of `value` among the Int32 values outside `window`, and how many there are.
    @usableFromInline
    static func outsideIndex(of value: Int32, window: ClosedRange<Int32>) -> (UInt64, UInt64) {
        let offset = UInt64(Int64(value) - Int64(Int32.min))
        let count = (UInt64(1) << 32) - UInt64(window.count)
        return (value < window.lowerBound ? offset : offset - UInt64(window.count), count)
    }
}
