import EntropyCoding

/// A distribution over `0..<counts.count` from integer counts, quantised to `precision` bits.
///
/// Symbols with a positive count form the support and get at least one slot each; symbols with count
/// 0 get none and cannot be pushed. Decoding looks the slot up in a table of `2^min(precision, 16)`
/// entries: exact O(1) up to precision 16; above it, a table bucket holds `2^(precision - 16)` slots
/// and a short forward scan over the cumulative starts finishes the search.
public struct Categorical: SymbolDistribution, Sendable {
    /// Number of bits of the slot space (1...24).
    public let precision: Int
    /// `starts[s]` is the first slot of symbol `s`; `starts[count] == 1 << precision`.
    @usableFromInline let starts: [UInt32]
    /// `slotTable[slot >> tableShift]` is the symbol containing the first slot of that bucket.
    @usableFromInline let slotTable: [UInt16]
    @usableFromInline let tableShift: UInt32
    /// `start | frequency << 32` per symbol: one load per decoded symbol.
    @usableFromInline let intervals: [UInt64]
    /// Division-free encoder steps, one per symbol (see `EncoderSymbol`).
    @usableFromInline let encoderSymbols: [EncoderSymbol]

    /// Largest alphabet: symbols in the slot table are 16-bit.
    public static let maxSymbolCount = 1 << 16

    /// Quantises `counts` to `precision` bits. Precondition: the parameters are valid (see
    /// `init(validatingCounts:precision:)`, which throws instead).
    public init(counts: [UInt32], precision: Int = 16) {
        do {
            try self.init(validatingCounts: counts, precision: precision)
        } catch {
            preconditionFailure("Categorical: \(error)")
        }
    }

    /// Quantises `counts` to `precision` bits, or throws `.invalidDistribution` when `precision` is
    /// outside 1...24, there are more than 2^16 symbols, no positive count, or more positive counts
    /// than slots. Use this one for counts read from a stream.
    public init(validatingCounts counts: [UInt32], precision: Int) throws(EntropyCodingError) {
        guard (1...24).contains(precision) else {
            throw .invalidDistribution("precision \(precision) outside 1...24")
        }
        guard counts.count <= Self.maxSymbolCount else {
            throw .invalidDistribution("\(counts.count) symbols, at most \(Self.maxSymbolCount)")
        }
        let support = counts.lazy.filter { $0 > 0 }.count
        guard support > 0 else { throw .invalidDistribution("no symbol has a positive count") }
        guard support <= 1 << precision else {
            throw .invalidDistribution("\(support) symbols do not fit in \(1 << precision) slots")
        }
        let frequencies = Self.quantise(counts, total: UInt64(1) << UInt64(precision))
        self.init(frequencies: frequencies, precision: precision)
    }

    /// Builds the tables from frequencies that already sum to `1 << precision`.
    init(frequencies: [UInt32], precision: Int) {
        self.precision = precision
        var starts = [UInt32](repeating: 0, count: frequencies.count + 1)
        for (s, f) in frequencies.enumerated() { starts[s + 1] = starts[s] + f }
        self.starts = starts
        let tableBits = min(precision, 16)
        tableShift = UInt32(precision - tableBits)
        var table = [UInt16](repeating: 0, count: 1 << tableBits)
        var symbol = 0
        for bucket in 0..<table.count {
            let slot = UInt32(bucket) << tableShift
            while starts[symbol + 1] <= slot { symbol += 1 }
            table[bucket] = UInt16(symbol)
        }
        slotTable = table
        intervals = frequencies.indices.map { UInt64(starts[$0]) | UInt64(starts[$0 + 1] - starts[$0]) << 32 }
        encoderSymbols = frequencies.indices.map {
            EncoderSymbol(SymbolInterval(start: starts[$0], frequency: starts[$0 + 1] - starts[$0]), precision: precision)
        }
    }

    /// The quantised frequency of every symbol (0 outside the support); they sum to `1 << precision`.
    public var frequencies: [UInt32] {
        (0..<(starts.count - 1)).map { starts[$0 + 1] - starts[$0] }
    }

    /// Interval of `symbol`: two loads. Precondition: `symbol` has a positive count.
    @inlinable
    public func interval(of symbol: Int) -> SymbolInterval {
        let start = starts[symbol]
        return SymbolInterval(start: start, frequency: starts[symbol + 1] &- start)
    }

    /// The symbol owning `slot`: a table load (plus a short scan above precision 16) and one
    /// load of its packed interval.
    @inlinable
    public func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        var symbol = Int(slotTable[Int(slot >> tableShift)])
        if tableShift != 0 {
            while starts[symbol + 1] <= slot { symbol += 1 }
        }
        let packed = intervals[symbol]
        return (symbol, SymbolInterval(start: UInt32(truncatingIfNeeded: packed),
                                       frequency: UInt32(truncatingIfNeeded: packed >> 32)))
    }

    /// Largest-remainder rounding of `counts * total / sum`, then every positive count raised to at
    /// least 1 slot, paid for by the symbols with the most slots. Integer arithmetic only.
    static func quantise(_ counts: [UInt32], total: UInt64) -> [UInt32] {
        let sum = counts.reduce(UInt64(0)) { $0 + UInt64($1) }
        var freq = [UInt32](repeating: 0, count: counts.count)
        var remainders: [(remainder: UInt64, symbol: Int)] = []
        var assigned: UInt64 = 0
        for (s, c) in counts.enumerated() where c > 0 {
            let scaled = UInt64(c) * total  // < 2^32 * 2^24: no overflow
            freq[s] = UInt32(scaled / sum)
            assigned += UInt64(freq[s])
            remainders.append((scaled % sum, s))
        }
        // Hand the rounding deficit (fewer than `remainders.count` slots) to the largest remainders.
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.symbol < $1.symbol }
        for k in 0..<Int(total - assigned) { freq[remainders[k].symbol] += 1 }
        // Raise starved symbols to one slot, taking slots back one at a time from the largest.
        var excess = 0
        for (s, c) in counts.enumerated() where c > 0 && freq[s] == 0 {
            freq[s] = 1
            excess += 1
        }
        if excess > 0 {
            var donors = counts.indices.filter { freq[$0] > 1 }
            donors.sort { freq[$0] != freq[$1] ? freq[$0] > freq[$1] : $0 < $1 }
            while excess > 0 {
                for s in donors where excess > 0 && freq[s] > 1 {
                    freq[s] -= 1
                    excess -= 1
                }
            }
        }
        return freq
    }
}
