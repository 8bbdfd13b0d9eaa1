/// The integer CDF machinery shared by `DiscretizedLogistic` and `LogisticMixture`.
///
/// A parametric distribution codes the values of a *window* `lo...hi` (its `support` cut down to
/// where the mass is) plus one escape symbol; values outside the window go through the escape.
/// Slots: value `v` starts at `(v - lo) + floor(G(v) * M / 2^32)`, where `G(v)` is the Q32 mass
/// below `v - 0.5` (with `G(lo) = 0` and `G(hi + 1) = 2^32`, so the edge values take the tails) and
/// `M = 2^precision - (hi - lo + 2)`. Every value therefore has at least one slot, and the escape
/// owns the last slot, `2^precision - 1`. There is no per-symbol table: decoding searches this
/// integer CDF (`symbol(containing:between:and:massBelow:)`).
@usableFromInline
struct LogisticWindow: Sendable, Equatable {
    @usableFromInline let lo: Int64
    @usableFromInline let hi: Int64
    @usableFromInline let precision: Int
    /// `M`: the slots shared out in proportion to the mass.
    @usableFromInline let freeSlots: UInt64

    /// The widest window: at most `2^(precision - 1) - 1` values, so at least half the slots follow the mass.
    @inlinable
    static func maxHalfWidth(precision: Int) -> Int64 { (Int64(1) << Int64(precision - 2)) &- 1 }

    /// Half-width covering `precision` scales each side: the logistic mass beyond is below
    /// `2 e^-precision`, under one slot's worth, so escapes are rare for data that fits the model.
    @inlinable
    static func halfWidth(scaleQ8: Int64, precision: Int) -> Int64 {
        // precision <= 24 and scaleQ8 <= 2^30 (`LogisticComponent`'s clamp): no wrap.
        min(maxHalfWidth(precision: precision), (Int64(precision) &* scaleQ8) >> 8 &+ 1)
    }

    @usableFromInline
    init(lo: Int64, hi: Int64, precision: Int) {
        self.lo = lo
        self.hi = hi
        self.precision = precision
        // One compare for lo <= hi (a negative width wraps to a huge one) and at most 2^(precision-1)
        // values, so that the subtraction below leaves at least half the slots free.
        precondition(UInt64(bitPattern: hi &- lo) < UInt64(1) << UInt64(precision &- 1), "window wider than its slots")
        freeSlots = (UInt64(1) << UInt64(precision)) &- UInt64(bitPattern: hi &- lo &+ 2)
    }

    /// `lo...hi` as Int32 (both ends come from an Int32 support).
    @inlinable
    var codedRange: ClosedRange<Int32> { Int32(lo)...Int32(hi) }

    /// First slot of value `v` for `lo <= v <= hi + 1`, given the Q32 mass below `v - 0.5`.
    /// (Ends within 2^24 of each other: `v - lo` is small and non-negative, the product below 2^56.)
    @inlinable
    func start(_ v: Int64, massBelow: (Int64) -> UInt64) -> UInt32 {
        let mass: UInt64 = v <= lo ? 0 : (v > hi ? FixedPointSigmoid.one : massBelow(v))
        return UInt32(truncatingIfNeeded: UInt64(bitPattern: v &- lo) &+ ((mass &* freeSlots) &>> 32))
    }

    @inlinable
    func interval(of symbol: Int, massBelow: (Int64) -> UInt64) -> SymbolInterval {
        if symbol == escapeSymbol {
            return SymbolInterval(start: (1 << UInt32(precision)) - 1, frequency: 1)
        }
        let v = Int64(symbol)
        precondition(v >= lo && v <= hi, "value outside the coded window: use push(escaping:)")
        let start = self.start(v, massBelow: massBelow)
        return SymbolInterval(start: start, frequency: self.start(v &+ 1, massBelow: massBelow) &- start)
    }

    /// Search for the last value whose start is `<= slot`, given guesses `low <= high` that
    /// probably bracket it: gallop outwards with doubling steps until `start(low) <= slot <
    /// start(high + 1)` holds for sure, then bisect. About `log2(high - low + 1)` CDF evaluations
    /// when the guesses are right, plus `2 log2(miss)` when not; the result never depends on them.
    @inlinable
    func symbol(containing slot: UInt32, between lowGuess: Int64, and highGuess: Int64,
                massBelow: (Int64) -> UInt64) -> (symbol: Int, interval: SymbolInterval) {
        let escapeSlot: UInt32 = (1 << UInt32(precision)) - 1
        if slot >= escapeSlot {
            return (escapeSymbol, SymbolInterval(start: escapeSlot, frequency: 1))
        }
        // Bracket: start(low) <= slot < start(high). start(lo) = 0 and start(hi + 1) = escapeSlot
        // end both gallops. Wrapping operators: low and high stay in lo...hi + 1 (a window of
        // fewer than 2^23 values inside Int32's range) and each step is at most twice that width.
        var low = min(max(lowGuess, lo), hi)
        var high = min(max(highGuess, low) &+ 1, hi &+ 1)
        var startLow = start(low, massBelow: massBelow)
        var startHigh = start(high, massBelow: massBelow)
        var step: Int64 = 1
        while startLow > slot {
            high = low; startHigh = startLow
            low = max(low &- step, lo); startLow = start(low, massBelow: massBelow)
            step &+= step
        }
        step = 1
        while startHigh <= slot {
            low = high; startLow = startHigh
            high = min(high &+ step, hi &+ 1); startHigh = start(high, massBelow: massBelow)
            step &+= step
        }
        // Narrow the bracket, alternating interpolation (the CDF is near-linear over a short span)
        // with bisection (which bounds the number of steps whatever the shape).
        var interpolate = true
        while high &- low > 1 {
            var mid = low &+ (high &- low) >> 1
            if interpolate {
                // (slot - startLow) < 2^24 and (high - low) < 2^23: the product fits in 64 bits;
                // every value has a slot, so startHigh > startLow and the quotient is below high - low.
                let offset = UInt64(slot &- startLow) &* UInt64(bitPattern: high &- low) / UInt64(startHigh &- startLow)
                mid = min(max(low &+ Int64(bitPattern: offset), low &+ 1), high &- 1)
            }
            interpolate.toggle()
            let sm = start(mid, massBelow: massBelow)
            if sm <= slot { low = mid; startLow = sm } else { high = mid; startHigh = sm }
        }
        return (Int(low), SymbolInterval(start: startLow, frequency: startHigh &- startLow))
    }

    /// Plain binary search for the last value whose start is `<= slot`: the readable reference the
    /// guided search is tested against. About `log2(hi - lo + 1)` CDF evaluations.
    @inlinable
    func symbol(containing slot: UInt32, massBelow: (Int64) -> UInt64) -> (symbol: Int, interval: SymbolInterval) {
        let escapeSlot: UInt32 = (1 << UInt32(precision)) - 1
        if slot >= escapeSlot {
            return (escapeSymbol, SymbolInterval(start: escapeSlot, frequency: 1))
        }
        // Invariant: start(low) <= slot < start(high).
        var low = lo, high = hi + 1
        var startLow: UInt32 = 0, startHigh = escapeSlot
        while high - low > 1 {
            let mid = low + (high - low) / 2
            let s = start(mid, massBelow: massBelow)
            if s <= slot { low = mid; startLow = s } else { high = mid; startHigh = s }
        }
        return (Int(low), SymbolInterval(start: startLow, frequency: startHigh &- startLow))
    }
}

/// One logistic component in integer form: `G(v) = sigmoid((v - 0.5 - mean) / scale)` in Q32.
@usableFromInline
struct LogisticComponent: Sendable, Equatable {
    @usableFromInline let meanQ8: Int64
    @usableFromInline let scaleQ8: Int64
    /// `2^40 / scaleQ8`: turns a Q8 distance into a Q16 argument with one multiply and a shift.
    @usableFromInline let inverseScale: Int64
    /// Distances beyond this (in Q8) saturate the sigmoid; also keeps the product in 64 bits.
    @usableFromInline let saturation: Int64

    @usableFromInline
    init(meanQ8: Int32, scaleQ8: Int32) {
        self = Self.inverseScales.withUnsafeBufferPointer { LogisticComponent(meanQ8: meanQ8, scaleQ8: scaleQ8, inverses: $0) }
    }

    /// `init(meanQ8:scaleQ8:)` reading `inverseScales` from the caller (every access to a lazy
    /// global is a call): builders of several components look it up once.
    @usableFromInline
    init(meanQ8: Int32, scaleQ8: Int32, inverses: UnsafeBufferPointer<Int64>) {
        self.meanQ8 = Int64(meanQ8)
        self.scaleQ8 = Int64(min(max(scaleQ8, minimumScaleQ8), maximumScaleQ8))
        inverseScale = self.scaleQ8 < Self.tabulatedScales ? inverses[Int(self.scaleQ8)] : (1 << 40) / self.scaleQ8
        saturation = 25 &* self.scaleQ8  // scaleQ8 <= 2^30: no wrap
    }

    /// Scales below this (Q8: up to 16) have their `inverseScale` tabulated: a learned conditioner
    /// builds two or three components per coded value, mostly with small scales, and the 64-bit
    /// division was a measurable part of decoding (the table holds the same quotients).
    @usableFromInline static var tabulatedScales: Int64 { 4096 }
    @usableFromInline static let inverseScales: [Int64] = (0..<Int(tabulatedScales)).map { $0 == 0 ? 0 : (1 << 40) / Int64($0) }

    /// Where the search for `slot` should start in `window`. `slot = (v - lo) + G(v) M` (one floor
    /// slot per value below `v`, plus the proportional share), so invert the sigmoid on
    /// `slot - (v - lo)`, with `v` first taken as the mean, then `rounds - 1` more times as the
    /// previous guess.
    @inlinable
    func guess(slot: UInt32, window: LogisticWindow, rounds: Int = 2) -> Int64 {
        // Wrapping operators: means and window ends are Int32 values, |t| < 2^21 and scaleQ8 <= 2^30,
        // so nothing below comes near 2^63 (and a wrong guess would only cost search steps).
        var v = (meanQ8 &+ 128) >> 8
        for _ in 0..<rounds {
            let floors = UInt64(bitPattern: min(max(v &- window.lo, 0), window.hi &- window.lo &+ 1))
            let m = window.freeSlots
            let proportional = min(UInt64(slot) > floors ? UInt64(slot) &- floors : 1, m &- 1)
            let t = m < 2 ? 0 : FixedPointSigmoid.approximateLogRatio(proportional, m &- proportional)
            v = (meanQ8 &+ 128 &+ ((t &* scaleQ8) >> 16)) >> 8  // value whose lower edge is at mean + t * scale
        }
        return v
    }

    /// Q32 mass below `v - 0.5`: monotone in `v` because every step (clamp, multiply by a positive
    /// constant, arithmetic shift, table interpolation) is.
    @inlinable
    func massBelow(_ v: Int64) -> UInt64 {
        FixedPointSigmoid.table.withUnsafeBufferPointer { massBelow(v, table: $0) }
    }

    /// `massBelow(_:)` with the sigmoid's table from the caller (`FixedPointSigmoid.cdf(_:table:)`).
    @inlinable
    func massBelow(_ v: Int64, table: UnsafeBufferPointer<UInt32>) -> UInt64 {
        // v is within a window of Int32 values and meanQ8 an Int32: no wrap.
        let d = min(max((v &<< 8) &- 128 &- meanQ8, -saturation), saturation)
        return FixedPointSigmoid.cdf((d &* inverseScale) >> 24, table: table)
    }
}

/// Default precision of `DiscretizedLogistic` and `LogisticMixture`: 24, chosen by measurement
/// (README, "Entropy coder"). Every coded value needs one slot, so at 16 bits a wide window spends
/// slots on floors: measured 0.04 % more bits at scale 10 and 0.38 % at scale 100 than at 24 bits,
/// which codes as fast.
public let defaultParametricPrecision = 24

/// Smallest scale handled, in Q8: 1/16. Below it nearly all mass sits on one value anyway.
public let minimumScaleQ8: Int32 = 16
/// Largest scale handled, in Q8: 2^30 (4,194,304); the window cap binds long before it.
public let maximumScaleQ8: Int32 = 1 << 30

/// The symbol standing for "value outside the coded window" in the parametric distributions; it
/// is no Int32, so it cannot be confused with a value.
public let escapeSymbol: Int = Int(Int32.max) + 1

/// A distribution over Int32 values with an escape symbol for values outside `codedRange`; the
/// `push(escaping:)` / `pop(escaping:)` pair makes every Int32 encodable under it.
public protocol EscapableDistribution: SymbolDistribution {
    /// The values coded directly: symbols `Int(v)` for `v` in this range, and `escapeSymbol`.
    var codedRange: ClosedRange<Int32> { get }
}
