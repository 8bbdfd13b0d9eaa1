import EntropyCoding

/// A `DiscretizedLogistic` with its slot starts computed once: exactly the same intervals (so the same
/// bits), found by a table lookup and a short search instead of CDF evaluations. Pays when many values
/// are popped under one distribution, as flowAudio's decoder does with its per-chunk scale table.
///
/// `starts[k]` is the first slot of value `lo + k` (`k = 0...n`, `starts[n]` the escape slot), and
/// `spanFirst[i]` the index of the value holding slot `i << spanShift`, so the value holding any slot
/// lies between `spanFirst[slot >> spanShift]` and `spanFirst[(slot >> spanShift) + 1]`.
/// The tables are manually allocated (copies share them, and the decoder's hot loop copies no
/// references); the owner calls `deallocate()` once.
struct TabulatedLogistic: EscapableDistribution {
    private let lo: Int
    private let hi: Int
    private let starts: UnsafeMutablePointer<UInt32>
    private let spanFirst: UnsafeMutablePointer<UInt16>
    /// Slot bits: `LatentCoding`'s, fixed so that the decoder's masks and shifts are constants.
    /// (Computed, not stored: a literal folds into the decoder's loop, a stored static may not.)
    static var slotBits: Int { 24 }
    /// Spans of `2^spanShift` slots, 2^10 of them.
    private static var spanShift: Int { 14 }
    private static var escapeSlot: UInt32 { (1 << 24) - 1 }

    init(_ base: DiscretizedLogistic) {
        let range = base.codedRange
        lo = Int(range.lowerBound)
        hi = Int(range.upperBound)
        precondition(base.precision == Self.slotBits && Self.slotBits == LatentCoding.precision,
                     "a table serves LatentCoding's precision")
        let n = range.count
        precondition(n <= Self.maxValues, "window too wide for 16-bit span indices")
        let escapeSlot = Self.escapeSlot, spanShift = Self.spanShift
        let starts = UnsafeMutablePointer<UInt32>.allocate(capacity: n + 1)
        base.tabulateStarts(into: UnsafeMutableBufferPointer(start: starts, count: n))
        starts[n] = escapeSlot
        let spans = (1 << (Self.slotBits - spanShift)) + 1
        let spanFirst = UnsafeMutablePointer<UInt16>.allocate(capacity: spans)
        spanFirst.initialize(repeating: UInt16(n - 1), count: spans)
        var k = 0
        for i in 0..<(spans - 1) {
            let slot = UInt32(i) << UInt32(spanShift)
            while k + 1 < n && starts[k + 1] <= slot { k += 1 }
            spanFirst[i] = UInt16(k)
        }
        self.starts = starts
        self.spanFirst = spanFirst
    }

    /// Most values a table holds: span indices are 16-bit. With 2^10 spans a span table takes 2 KiB,
    /// so the several tables a stereo stream keeps using mostly stay in a 32 KiB L1 cache. Measured
    /// with callgrind's cache model decoding a 21.6 MB stereo WAV (10.8 M latents): L1 read misses in
    /// the table lookups 7.6 M with 2^12 spans, 3.1 M with 2^10; 2^9 saved 0.9 M more misses but added
    /// 0.6 M mispredicted branches (longer searches).
    static let maxValues = 1 << 16

    /// Frees the tables; this value and its copies are unusable afterwards.
    func deallocate() {
        starts.deallocate()
        spanFirst.deallocate()
    }

    var precision: Int { Self.slotBits }
    var codedRange: ClosedRange<Int32> { Int32(lo)...Int32(hi) }

    @inline(__always)
    func interval(of symbol: Int) -> SymbolInterval {
        guard symbol != escapeSymbol else { return SymbolInterval(start: Self.escapeSlot, frequency: 1) }
        let k = symbol - lo
        return SymbolInterval(start: starts[k], frequency: starts[k + 1] &- starts[k])
    }

    @inline(__always)
    func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        guard slot < Self.escapeSlot else { return (escapeSymbol, SymbolInterval(start: Self.escapeSlot, frequency: 1)) }
        let span = Int(slot &>> UInt32(Self.spanShift))
        // Invariant: starts[low] <= slot, and the answer is at most high.
        var low = Int(spanFirst[span]), high = Int(spanFirst[span &+ 1])
        while low < high {
            let mid = (low &+ high &+ 1) >> 1
            if starts[mid] <= slot { low = mid } else { high = mid &- 1 }
        }
        return (lo &+ low, SymbolInterval(start: starts[low], frequency: starts[low &+ 1] &- starts[low]))
    }
}

/// The decoder's view of one `LatentCoding`: pops through it, and builds its `TabulatedLogistic` once
/// it has been used often enough to repay the table (about a quarter of the table's length in pops).
/// The values popped are the same either way. The owner calls `deallocate()` once.
struct LatentDecoding {
    let coding: LatentCoding
    private var uses = 0
    private let usesBeforeTable: Int
    private var table: TabulatedLogistic?

    init(_ coding: LatentCoding) {
        self.coding = coding
        // Windows wider than a table holds (not written by `LatentCoding`) stay untabulated.
        usesBeforeTable = coding.distribution.codedRange.count <= TabulatedLogistic.maxValues
            ? max(64, coding.distribution.codedRange.count / 4) : Int.max
    }

    @inline(__always)
    mutating func pop(from stack: inout RansStack) -> Int32 {
        if let table { return coding.pop(from: &stack, through: table) }
        uses &+= 1
        if uses >= usesBeforeTable { table = TabulatedLogistic(coding.distribution) }
        return coding.pop(from: &stack)
    }

    func deallocate() { table?.deallocate() }
}
