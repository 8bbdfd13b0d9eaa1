/// A mixture of two or three discretized logistics, built without allocating: the per-value prior
/// of a learned conditioner, made once per coded value.
///
/// It is `LogisticMixture` for two or three components (the same weights' normalisation, window and
/// slots for the same parameters; a test checks it), without the array that type needs for any
/// number of components.
public struct SmallLogisticMixture: EscapableDistribution, Sendable, Equatable {
    /// Number of bits of the slot space (2...24).
    public var precision: Int { window.precision }
    @usableFromInline let window: LogisticWindow
    @usableFromInline let first: LogisticComponent, second: LogisticComponent, third: LogisticComponent
    /// Q16 weights summing to 2^16; a component of weight 0 takes no part.
    @usableFromInline let w1: UInt64, w2: UInt64, w3: UInt64

    /// The weight in Q16 (1...65535) of a first of two components whose logit (natural log of the
    /// odds of the first over the second) is `logitQ8 / 256`, in integer arithmetic.
    @inlinable
    public static func weightQ16(logitQ8: Int32) -> UInt32 {
        let q32 = FixedPointSigmoid.cdf(Int64(logitQ8) << 8)
        return UInt32(min(max((q32 &+ (1 << 15)) >> 16, 1), (1 << 16) - 1))
    }

    /// The mixture of `a`, `b` and, if given, `c` over `support`, with `LogisticMixture`'s rules:
    /// relative weights normalised to 2^16 (each positive one keeps at least 1, the rounding goes to
    /// the heaviest, the first on a tie), components of weight 0 dropped (all count equally if every
    /// weight is 0). Precondition: precision 2...24.
    @inlinable
    public init(_ a: LogisticMixture.Component, _ b: LogisticMixture.Component, _ c: LogisticMixture.Component? = nil,
                support: ClosedRange<Int32>, precision: Int = defaultParametricPrecision) {
        precondition((2...24).contains(precision), "SmallLogisticMixture precision must be 2...24")
        let third = c ?? LogisticMixture.Component(weight: 0, meanQ8: 0, scaleQ8: 0)
        var raw = (UInt64(a.weight), UInt64(b.weight), c == nil ? 0 : UInt64(third.weight))
        var total = raw.0 &+ raw.1 &+ raw.2
        if total == 0 { raw = (1, 1, c == nil ? 0 : 1); total = raw.0 &+ raw.1 &+ raw.2 }
        // Callers that split 2^32 between the components (the learned conditioner's pairs) get
        // shifts instead of three 64-bit divisions: the same floors.
        let powerOfTwo = total & (total &- 1) == 0, totalBits = UInt64(total.trailingZeroBitCount)
        @inline(__always) func share(_ w: UInt64) -> UInt64 {
            w == 0 ? 0 : max(1, powerOfTwo ? (w << 16) >> totalBits : (w << 16) / total)
        }
        var q = (share(raw.0), share(raw.1), share(raw.2))
        // Shares floor down and at most three are raised to 1: the heaviest (>= 2^16 / 3) absorbs it.
        let heaviest = raw.1 > raw.0 && raw.1 >= raw.2 ? 1 : (raw.2 > raw.0 && raw.2 > raw.1 ? 2 : 0)
        let rest = (1 << 16) &- (q.0 &+ q.1 &+ q.2)
        switch heaviest {
        case 1: q.1 = q.1 &+ rest
        case 2: q.2 = q.2 &+ rest
        default: q.0 = q.0 &+ rest
        }
        (w1, w2, w3) = q
        (first, second, self.third) = LogisticComponent.inverseScales.withUnsafeBufferPointer { inverses in
            (LogisticComponent(meanQ8: a.meanQ8, scaleQ8: a.scaleQ8, inverses: inverses),
             LogisticComponent(meanQ8: b.meanQ8, scaleQ8: b.scaleQ8, inverses: inverses),
             LogisticComponent(meanQ8: third.meanQ8, scaleQ8: third.scaleQ8, inverses: inverses))
        }

        let lower = Int64(support.lowerBound), upper = Int64(support.upperBound)
        @inline(__always) func centre(_ c: LogisticComponent) -> Int64 { min(max((c.meanQ8 &+ 128) >> 8, lower), upper) }
        var lo = upper, hi = lower
        @inline(__always) func cover(_ component: LogisticComponent, _ weight: UInt64) {
            guard weight > 0 else { return }
            let half = LogisticWindow.halfWidth(scaleQ8: component.scaleQ8, precision: precision)
            lo = min(lo, max(lower, centre(component) &- half))
            hi = max(hi, min(upper, centre(component) &+ half))
        }
        cover(first, q.0)
        cover(second, q.1)
        cover(self.third, q.2)
        let maxHalf = LogisticWindow.maxHalfWidth(precision: precision)
        if hi &- lo > 2 &* maxHalf {
            let c = centre(heaviest == 1 ? second : heaviest == 2 ? self.third : first)
            lo = max(lo, c &- maxHalf)
            hi = min(hi, c &+ maxHalf)
        }
        window = LogisticWindow(lo: lo, hi: hi, precision: precision)
    }

    /// The values coded without escape.
    public var codedRange: ClosedRange<Int32> { window.codedRange }

    /// Q32 mass of the mixture below `v - 0.5`: the weighted mean of monotone CDFs.
    @inlinable
    func massBelow(_ v: Int64, table: UnsafeBufferPointer<UInt32>) -> UInt64 {
        var sum = w1 &* first.massBelow(v, table: table) &+ w2 &* second.massBelow(v, table: table)
        if w3 != 0 { sum &+= w3 &* third.massBelow(v, table: table) }
        return sum >> 16
    }

    /// Interval of value `symbol` (two CDF evaluations), or of `escapeSymbol`.
    /// Precondition: `symbol` is in `codedRange` or is `escapeSymbol`.
    @inlinable
    public func interval(of symbol: Int) -> SymbolInterval {
        FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            window.interval(of: symbol) { massBelow($0, table: table) }
        }
    }

    /// The inverse of the mixture's CDF lies between its components' inverses: search between the
    /// smallest and largest of their guesses.
    @inlinable
    public func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        var low = Int64.max, high = Int64.min
        @inline(__always) func bracket(_ component: LogisticComponent, _ weight: UInt64) {
            guard weight > 0 else { return }
            let guess = component.guess(slot: slot, window: window, rounds: 1)
            low = min(low, guess)
            high = max(high, guess)
        }
        bracket(first, w1)
        bracket(second, w2)
        bracket(third, w3)
        return FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            window.symbol(containing: slot, between: low, and: high) { massBelow($0, table: table) }
        }
    }
}
