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
    /// The components in integer form with Q16 weights summing to 2^16 (one allocation per mixture).
    @usableFromInline let parts: [Part]

    @usableFromInline
    struct Part: Sendable, Equatable {
        @usableFromInline var weightQ16: UInt64
        @usableFromInline let logistic: LogisticComponent
    }

    /// Largest number of components.
    public static let maxComponentCount = 16

    /// A mixture of `components` over `support`. Precondition: 1...16 components, precision 2...24.
    /// Components of weight 0 are dropped; if all weights are 0 they count equally.
    public init(components: [Component], support: ClosedRange<Int32>, precision: Int = defaultParametricPrecision) {
        precondition((2...24).contains(precision), "LogisticMixture precision must be 2...24")
        precondition((1...Self.maxComponentCount).contains(components.count),
                     "LogisticMixture needs 1...\(Self.maxComponentCount) components")
        var total: UInt64 = 0
        for c in components { total += UInt64(c.weight) }
        let equal = total == 0
        if equal { total = UInt64(components.count) }

        // Weights to Q16: floor each share (at least 1), the rounding difference goes to the heaviest.
        var parts: [Part] = []
        parts.reserveCapacity(components.count)
        var heaviest = 0, heaviestWeight: UInt32 = 0, assigned: UInt64 = 0
        for c in components where equal || c.weight > 0 {
            let weight = equal ? 1 : UInt64(c.weight)
            let q16 = max(1, (weight << 16) / total)
            if parts.isEmpty || c.weight > heaviestWeight { heaviest = parts.count; heaviestWeight = c.weight }
            parts.append(Part(weightQ16: q16, logistic: LogisticComponent(meanQ8: c.meanQ8, scaleQ8: c.scaleQ8)))
            assigned += q16
        }
        // Shares floor down and at most 16 are raised to 1, so the heaviest (>= 2^16 / 16) absorbs it.
        parts[heaviest].weightQ16 = parts[heaviest].weightQ16 + (1 << 16) - assigned
        self.parts = parts

        let lower = Int64(support.lowerBound), upper = Int64(support.upperBound)
        func centre(_ c: LogisticComponent) -> Int64 { min(max((c.meanQ8 + 128) >> 8, lower), upper) }
        var lo = upper, hi = lower
        for part in parts {
            let c = part.logistic
            let half = LogisticWindow.halfWidth(scaleQ8: c.scaleQ8, precision: precision)
            lo = min(lo, max(lower, centre(c) - half))
            hi = max(hi, min(upper, centre(c) + half))
        }
        let maxHalf = LogisticWindow.maxHalfWidth(precision: precision)
        if hi - lo > 2 * maxHalf {
            let c = centre(parts[heaviest].logistic)
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
        FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            var sum: UInt64 = 0
            for part in parts { sum &+= part.weightQ16 &* part.logistic.massBelow(v, table: table) }
            return sum >> 16
        }
    }

    /// Interval of value `symbol` (two CDF evaluations), or of `escapeSymbol`.
    /// Precondition: `symbol` is in `codedRange` or is `escapeSymbol`.
    @inlinable
    public func interval(of symbol: Int) -> SymbolInterval {
        window.interval(of: symbol, massBelow: massBelow)
    }

    /// The mixture's CDF is a weighted mean of its components' CDFs, so its inverse at any mass lies
    /// between the components' inverses: search between the smallest and largest component guess.
    @inlinable
    public func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        var low = Int64.max, high = Int64.min
        for part in parts {
            // One round: the bracket only needs to be roughly right, and there are several guesses.
            let guess = part.logistic.guess(slot: slot, window: window, rounds: 1)
            low = min(low, guess)
            high = max(high, guess)
        }
        return window.symbol(containing: slot, between: low, and: high, massBelow: massBelow)
    }
}
