/// Discretized logistic over `support`, integer parameters: mean and scale in Q8 fixed point (value * 256).
///
/// Value `v` has mass `sigmoid((v + 0.5 - mean) / scale) - sigmoid((v - 0.5 - mean) / scale)`, the
/// end values of the coded window taking the tails. Symbols are the values themselves (`Int(v)`);
/// `escapeSymbol` owns the last slot.
///
/// **Window.** Only `codedRange` is coded directly: `support` cut to `precision` scales either side
/// of the rounded mean (clamped into `support`), and to at most `2^(precision-1) - 1` values, so
/// every coded value keeps one slot and half the slots still follow the mass. Anything else goes
/// through the escape (`RansStack.push(escaping:_:)`).
///
/// **Scale clamp.** `scaleQ8` is clamped to `minimumScaleQ8...maximumScaleQ8` (1/16 ... 2^22).
/// **Precision.** 2...24 (precondition), default `defaultParametricPrecision` (24). Creating one costs
/// a few integer operations: no tables.
public struct DiscretizedLogistic: EscapableDistribution, Sendable, Equatable {
    /// Number of bits of the slot space (2...24).
    public var precision: Int { window.precision }
    @usableFromInline let window: LogisticWindow
    @usableFromInline let component: LogisticComponent

    /// A logistic with mean `meanQ8 / 256` and scale `scaleQ8 / 256` over `support`.
    public init(meanQ8: Int32, scaleQ8: Int32, support: ClosedRange<Int32>, precision: Int = defaultParametricPrecision) {
        precondition((2...24).contains(precision), "DiscretizedLogistic precision must be 2...24")
        component = LogisticComponent(meanQ8: meanQ8, scaleQ8: scaleQ8)
        let lower = Int64(support.lowerBound), upper = Int64(support.upperBound)
        let center = min(max((Int64(meanQ8) &+ 128) >> 8, lower), upper)
        let half = LogisticWindow.halfWidth(scaleQ8: component.scaleQ8, precision: precision)
        // Int32 ends and a half-width below 2^22: no wrap; lower <= center <= upper keeps lo <= hi.
        window = LogisticWindow(lo: max(lower, center &- half), hi: min(upper, center &+ half),
                                precision: precision)
    }

    /// Mean in Q8, as given.
    public var meanQ8: Int32 { Int32(component.meanQ8) }
    /// Scale in Q8 after clamping.
    public var scaleQ8: Int32 { Int32(component.scaleQ8) }
    /// The values coded without escape.
    public var codedRange: ClosedRange<Int32> { window.codedRange }

    /// Interval of value `symbol` (two CDF evaluations), or of `escapeSymbol`.
    /// Precondition: `symbol` is in `codedRange` or is `escapeSymbol`.
    @inlinable
    public func interval(of symbol: Int) -> SymbolInterval {
        FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            window.interval(of: symbol) { component.massBelow($0, table: table) }
        }
    }

    /// The first slot of every value of `codedRange`, in order, into `starts` (which holds
    /// `codedRange.count` entries): what `interval(of:)` gives as `start`, one CDF evaluation each,
    /// for callers that tabulate a whole window.
    @inlinable
    public func tabulateStarts(into starts: UnsafeMutableBufferPointer<UInt32>) {
        precondition(starts.count == codedRange.count, "one start per coded value")
        FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            for k in 0..<starts.count {
                starts[k] = window.start(window.lo + Int64(k)) { component.massBelow($0, table: table) }
            }
        }
    }

    /// Searches the integer CDF from the inverse sigmoid of the slot (`LogisticComponent.guess`).
    @inlinable
    public func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        let guess = component.guess(slot: slot, window: window)
        return FixedPointSigmoid.table.withUnsafeBufferPointer { table in
            window.symbol(containing: slot, between: guess, and: guess) { component.massBelow($0, table: table) }
        }
    }
}
