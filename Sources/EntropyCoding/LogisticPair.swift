/// A mixture of two discretized logistics, built without allocating: the per-value prior of a
/// learned conditioner with two components, made once per coded value.
///
/// It is `LogisticMixture` with components of weights `weightQ16` and `2^16 - weightQ16` (the
/// same slots for the same parameters; a test checks it), without the array that type needs for
/// any number of components.
public struct LogisticPair: EscapableDistribution, Sendable, Equatable {
    /// Number of bits of the slot space (2...24).
    public var precision: Int { window.precision }
    @usableFromInline let window: LogisticWindow
    @usableFromInline let first: LogisticComponent
    @usableFromInline let second: LogisticComponent
    /// The first component's weight, Q16 in 1...65535; the second has the rest of 2^16.
    @usableFromInline let weightQ16: UInt64

    /// The weight in Q16 (1...65535) of a first component whose logit (natural log of the odds of
    /// the first over the second) is `logitQ8 / 256`, in integer arithmetic.
    @inlinable
    public static func weightQ16(logitQ8: Int32) -> UInt32 {
        let q32 = FixedPointSigmoid.cdf(Int64(logitQ8) << 8)
        return UInt32(min(max((q32 &+ (1 << 15)) >> 16, 1), (1 << 16) - 1))
    }

    /// Two logistics, the first of weight `weightQ16` (clamped to 1...65535) and the second of the
    /// rest, means and scales in Q8, over `support`. Precondition: precision 2...24.
    @inlinable
    public init(weightQ16: UInt32, firstMeanQ8: Int32, firstScaleQ8: Int32, secondMeanQ8: Int32, secondScaleQ8: Int32,
                support: ClosedRange<Int32>, precision: Int = defaultParametricPrecision) {
        precondition((2...24).contains(precision), "LogisticPair precision must be 2...24")
        let w = UInt64(min(max(weightQ16, 1), (1 << 16) - 1))
        self.weightQ16 = w
        first = LogisticComponent(meanQ8: firstMeanQ8, scaleQ8: firstScaleQ8)
        second = LogisticComponent(meanQ8: secondMeanQ8, scaleQ8: secondScaleQ8)
        let lower = Int64(support.lowerBound), upper = Int64(support.upperBound)
        @inline(__always) func centre(_ c: LogisticComponent) -> Int64 { min(max((c.meanQ8 &+ 128) >> 8, lower), upper) }
        let c1 = centre(first), c2 = centre(second)
        let h1 = LogisticWindow.halfWidth(scaleQ8: first.scaleQ8, precision: precision)
        let h2 = LogisticWindow.halfWidth(scaleQ8: second.scaleQ8, precision: precision)
        var lo = min(max(lower, c1 &- h1), max(lower, c2 &- h2))
        var hi = max(min(upper, c1 &+ h1), min(upper, c2 &+ h2))
        let maxHalf = LogisticWindow.maxHalfWidth(precision: precision)
        if hi &- lo > 2 &* maxHalf {
            // Re-centred on the heavier component (the first on a tie), as `LogisticMixture` does.
            let c = (1 << 16) &- w > w ? c2 : c1
            lo = max(lo, c &- maxHalf)
            hi = min(hi, c &+ maxHalf)
        }
        window = LogisticWindow(lo: lo, hi: hi, precision: precision)
    }

    /// The values coded without escape.
    public var codedRange: ClosedRange<Int32> { window.codedRange }

    /// Q32 mass of the mixture below `v - 0.5`: the weighted mean of two monotone CDFs.
    @inlinable
    func massBelow(_ v: Int64, table: UnsafeBufferPointer<UInt32>) -> UInt64 {
        (weightQ16 &* first.massBelow(v, table: table) &+ ((1 << 16) &- weightQ16) &* second.massBelow(v, table: table)) >> 16
    }

    /// Interval of value `symbol` (two CDF evaluations), or of `escapeSymbol`.
    /// Precondition: `symbol` is in `codedRange` or is `escapeSymbol`.
    @inlinable
    public func interval(of symbol: Int) -> SymbolInterval {
        FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            window.interval(of: symbol) { massBelow($0, table: table) }
        }
    }

    /// The inverse of the mixture's CDF lies between its components' inverses: search between
    /// the two components' guesses.
    @inlinable
    public func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        let g1 = first.guess(slot: slot, window: window, rounds: 1)
        let g2 = second.guess(slot: slot, window: window, rounds: 1)
        return FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            window.symbol(containing: slot, between: min(g1, g2), and: max(g1, g2)) { massBelow($0, table: table) }
        }
    }
}
