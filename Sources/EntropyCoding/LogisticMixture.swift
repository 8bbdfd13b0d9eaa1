/// A mixture of a few discretized logistics with integer weights, over `support`.
///
/// The weights are normalised to sum to 2^16 (each positive weight keeps at least 1), and the
/// mixture's Q32 CDF is `sum(w_k * G_k) >> 16`, monotone because each `G_k` is. The coded window is
/// the union of the components' windows (see `DiscretizedLogistic`) within `support`; if that is
/// wider than `2^(precision-1) - 1` values it is re-centred on the heaviest component. Everything
/// else, and the symbol semantics, are those of `DiscretizedLogistic`.
public struct LogisticMixture: EscapableDistribution, Sendable, Equatable {
    /// One component: relative `weight` (integer), mean and scale in Q8.
    public struct Component: Sendable, Equatable {
        /// Relative weight; the weights need not sum to anything in particular.
        public var weight: UInt32
        /// Mean in Q8 (value * 256).
        public var meanQ8: Int32
        /// Scale in Q8, clamped to `minimumScaleQ8...maximumScaleQ8`.
        public var scaleQ8: Int32

        /// A component of relative `weight` with mean `meanQ8 / 256` and scale `scaleQ8 / 256`.
        public init(weight: UInt32, meanQ8: Int32, scaleQ8: Int32) {
            self.weight = weight
            self.meanQ8 = meanQ8
            self.scaleQ8 = scaleQ8
        }
    }

    /// Number of bits of the slot space (2...24).
    public var precision: Int { window.precision }
    @usableFromInline let window: LogisticWindow
    @usableFromInline let logistics: [LogisticComponent]
    /// Q16 weights summing to 2^16, one per entry of `logistics`.
    @usableFromInline let weights: [UInt64]

    /// Largest number of components.
    public static let maxComponentCount = 16

    /// A mixture of `components` over `support`. Precondition: 1...16 components, precision 2...24.
    /// Components of weight 0 are dropped; if all weights are 0 they count equally.
    public init(components: [Component], support: ClosedRange<Int32>, precision: Int = 16) {
        precondition((2...24).contains(precision), "LogisticMixture precision must be 2...24")
        precondition((1...Self.maxComponentCount).contains(components.count),
                     "LogisticMixture needs 1...\(Self.maxComponentCount) components")
        var used = components.filter { $0.weight > 0 }
        if used.isEmpty { used = components.map { Component(weight: 1, meanQ8: $0.meanQ8, scaleQ8: $0.scaleQ8) } }
        logistics = used.map { LogisticComponent(meanQ8: $0.meanQ8, scaleQ8: $0.scaleQ8) }

        // Weights to Q16: floor each share (at least 1), give the rest to the heaviest component.
        let total = used.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
        var q16 = used.map { max(1, (UInt64($0.weight) << 16) / total) }
        var heaviest = 0
        for k in used.indices where used[k].weight > used[heaviest].weight { heaviest = k }
        let assigned = q16.reduce(0, +)
        // Shares floor down and at most 16 components are raised by 1, so the sum stays near 2^16.
        if assigned <= 1 << 16 { q16[heaviest] += (1 << 16) - assigned } else { q16[heaviest] -= assigned - (1 << 16) }
        weights = q16

        let lower = Int64(support.lowerBound), upper = Int64(support.upperBound)
        func centre(_ c: LogisticComponent) -> Int64 { min(max((c.meanQ8 + 128) >> 8, lower), upper) }
        var lo = upper, hi = lower
        for c in logistics {
            let half = LogisticWindow.halfWidth(scaleQ8: c.scaleQ8, precision: precision)
            lo = min(lo, max(lower, centre(c) - half))
            hi = max(hi, min(upper, centre(c) + half))
        }
        let maxHalf = LogisticWindow.maxHalfWidth(precision: precision)
        if hi - lo > 2 * maxHalf {
            let c = centre(logistics[heaviest])
            lo = max(lo, c - maxHalf)
            hi = min(hi, c + maxHalf)
        }
        window = LogisticWindow(lo: lo, hi: hi, precision: precision)
    }

    /// The values coded without escape.
    public var codedRange: ClosedRange<Int32> { window.codedRange }

    /// Q32 mass of the mixture below `v - 0.5`.
    @inlinable
    func massBelow(_ v: Int64) -> UInt64 {
        var sum: UInt64 = 0
        for k in logistics.indices { sum &+= weights[k] &* logistics[k].massBelow(v) }
        return sum >> 16
    }

    @inlinable
    public func interval(of symbol: Int) -> SymbolInterval {
        window.interval(of: symbol, massBelow: massBelow)
    }

    @inlinable
    public func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        window.symbol(containing: slot, massBelow: massBelow)
    }
}
