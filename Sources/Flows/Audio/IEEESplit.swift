import EntropyCoding

/// Lossless split of IEEE 754 float32 samples into integers the audio flow codes well, plus a small
/// side stream for what the integers do not say (after WavPack's float mode).
///
/// A finite float is `sig · 2^(e' − 150)` with `e' = max(e, 1)` (`e` the biased exponent) and `sig` the
/// significand (the implicit 1 at bit 23 for `e ≥ 1`). Per channel, a unit exponent `U` says what the
/// integer counts: `q = ±value / 2^(U − 150)`, truncated toward zero. Floats converted from PCM (and
/// most DSP output of limited precision) sit on a grid that a `U` makes exact, so `q` is the original
/// integer and the side stream is nearly empty (a few samples off the grid escape). Otherwise (`leftovers`), `U` puts the channel's loud
/// samples just below 2^23, and the bits a sample loses below its unit (its *leftover*) go to the side
/// stream; the decoder knows how many from `q` alone. Samples far louder or quieter than most of the
/// channel (leading bit outside 23 octaves) have no integer; nor do −0, NaN and ±∞. Those are escapes
/// in the side stream, −0 with a bit, the others as their 32 raw bits.
///
/// Side stream, in the order a decoder pops it: for each frame, for each channel, given that sample's
/// integer `q` (decoded by the flow first) and the channel's stand-in `p = 2·q₁ − q₂` from its last two
/// integers `q₁`, `q₂` (0 before the start; clamped to the integers' width):
/// - `q = p`: an adaptive bit "escape" (per channel; Q12 probability of 0, 2048 at the start, moving by
///   1/32 of the distance to 0 or 4096 after each bit). An escaped sample has no integer (its `q` only
///   stands in, for the flow's sake); an adaptive bit "−0" (0: −0.0; 1: the sample's 32 bits follow,
///   uniform) says what it is, and nothing else is coded for it; `q₁`, `q₂` stay;
/// - unless it escaped: `q` becomes `q₁` (and `q₁` becomes `q₂`), and `q = 0` is +0.0; for `q ≠ 0` with
///   `leftovers` and `s > 0` lost bits: when the
///   channel's `LeftoverMemory` holds a leftover for this `q`, an adaptive bit (per channel and `s`)
///   "repeats" (0: it is that leftover) or not (1); unless it repeats, the leftover, uniform over `2^s`,
///   which the memory then keeps.
/// All integer arithmetic: only the bit patterns of the floats are read.
public enum IEEESplit {
    /// How one channel's floats map to integers.
    public struct Channel: Equatable, Sendable {
        /// `U`: the integer counts units of `2^(unit − 150)`; 1...`maxUnit`.
        public var unit: Int
        /// Whether the side stream holds leftover bits; false: a sample that is not a whole number of
        /// units is an escape.
        public var leftovers: Bool

        public init(unit: Int, leftovers: Bool) {
            self.unit = unit
            self.leftovers = leftovers
        }
    }

    /// The largest unit: the lowest bit of the largest finite exponent's significand (254 + 23).
    public static let maxUnit = 277
    /// A channel on an exact grid that needs at most this many bits (sign included) is coded exactly;
    /// above it, with leftovers and integers of `leftoverBits`.
    static let exactMaxBits = 26
    /// Bits of the integers (sign included) of a channel coded with leftovers: 24, the widest the flow
    /// decodes in 16-bit lanes.
    static let leftoverBits = 24

    /// The result of `split`: per channel its mapping, the integers for the flow, the bits (sign
    /// included, 1...32) that hold every integer, and the side stream's rANS stack.
    public struct Split {
        public var channels: [Channel]
        public var integerBits: Int
        public var integers: [[Int32]]
        public var side: [UInt8]
    }

    /// Splits planar channels of float32 bit patterns (equal lengths).
    public static func split(_ patterns: [[UInt32]]) -> Split {
        var channels: [Channel] = []
        var integerBits = 1
        for samples in patterns {
            let (channel, bits) = choose(samples)
            channels.append(channel)
            integerBits = max(integerBits, bits)
        }
        var integers = [[Int32]](repeating: [], count: patterns.count)
        // Side symbols in decoding order, pushed in reverse at the end.
        var side: [SideSymbol] = []
        var escapes = [AdaptiveBit](repeating: AdaptiveBit(), count: 2 * patterns.count)
        var memories = channels.map { $0.leftovers ? LeftoverMemory() : LeftoverMemory(empty: ()) }
        let frames = patterns.first?.count ?? 0
        for c in patterns.indices { integers[c].reserveCapacity(frames) }
        var history = [History](repeating: History(), count: patterns.count)
        for i in 0..<frames {
            for c in patterns.indices {
                let u = patterns[c][i]
                var (q, lost, lostBits) = integer(of: u, channels[c], bits: integerBits)
                // A sample without an integer (all but +0 among those of integer 0) takes the line
                // through the two integers before it, which disturbs the flow's prediction little.
                let escape = q == 0 && u != 0
                let standIn = history[c].standIn(bits: integerBits)
                if escape { q = standIn }
                integers[c].append(q)
                if q == standIn {
                    side.append(escapes[2 * c].code(escape ? 1 : 0))
                    if escape {
                        let negativeZero = u == 0x8000_0000
                        side.append(escapes[2 * c + 1].code(negativeZero ? 0 : 1))
                        if !negativeZero { side.append(SideSymbol(value: u, kind: .uniform, parameter: 32)) }
                        continue
                    }
                }
                history[c].append(q)
                guard q != 0, channels[c].leftovers, lostBits > 0 else { continue }
                if memories[c].recall(q) == lost {
                    side.append(memories[c].repeats[lostBits].code(0))
                    continue
                }
                if memories[c].recall(q) != nil { side.append(memories[c].repeats[lostBits].code(1)) }
                side.append(SideSymbol(value: lost, kind: .uniform, parameter: UInt16(lostBits)))
                memories[c].remember(q, lost)
            }
        }
        var stack = RansStack()
        for symbol in side.reversed() {
            switch symbol.kind {
            case .bit: stack.push(Int(symbol.value), BitDistribution(p0: UInt32(symbol.parameter)))
            case .uniform: stack.pushUniform(UInt64(symbol.value), count: 1 << UInt64(symbol.parameter))
            }
        }
        return Split(channels: channels, integerBits: integerBits, integers: integers, side: stack.bytes)
    }

    /// A channel's mapping and the bits its integers need.
    static func choose(_ samples: [UInt32]) -> (Channel, Int) {
        // Samples per position of the leading bit (`e' + topbit(sig)`) and of the lowest set bit, 0...277.
        var tops = [Int](repeating: 0, count: maxUnit + 1)
        var lows = [Int](repeating: 0, count: maxUnit + 1)
        var count = 0
        for u in samples {
            guard let (ep, sig) = finite(u), sig != 0 else { continue }
            tops[ep + 31 - sig.leadingZeroBitCount] += 1
            lows[ep + sig.trailingZeroBitCount] += 1
            count += 1
        }
        guard count > 0 else { return (Channel(unit: 1, leftovers: false), 1) }
        // An exact grid: all samples, else all but a few off the grid (a stray value, a subnormal), else
        // all but a few of the quietest and loudest. The few become escapes.
        let few = count / 512
        let lowest = lows.firstIndex { $0 > 0 }!, highest = tops.lastIndex { $0 > 0 }!
        let unit = Self.position(lows, skipping: few, from: 0, by: 1)
        for (u, t) in [(lowest, highest), (unit, highest), (unit, Self.position(tops, skipping: few, from: maxUnit, by: -1))] {
            let bits = t - u + 2  // magnitudes below 2^(t − u + 1), and a sign bit
            if bits <= exactMaxBits { return (Channel(unit: u, leftovers: false), max(bits, 1)) }
        }
        // With leftovers, the integers hold samples whose leading bit is in [U, U + 22]; the others
        // (far louder or quieter: a glitch, a fade into subnormals) are escapes. The window that holds
        // the most samples, the lowest of equals.
        let width = leftoverBits - 1
        var best = (count: -1, unit: 1)
        var inWindow = 0
        for top in 0...maxUnit {
            inWindow += tops[top] - (top >= width ? tops[top - width] : 0)
            let unit = max(1, top - (width - 1))
            if inWindow > best.count { best = (inWindow, unit) }
        }
        return (Channel(unit: best.unit, leftovers: true), leftoverBits)
    }

    /// The first position, walking `histogram` from `start` in steps of `step`, at which more than
    /// `skipping` samples have been seen.
    static func position(_ histogram: [Int], skipping: Int, from start: Int, by step: Int) -> Int {
        var seen = 0, at = start
        while true {
            seen += histogram[at]
            if seen > skipping { return at }
            at += step
        }
    }

    /// `(e', sig)` of a finite pattern; nil for NaN and infinities.
    @inline(__always)
    static func finite(_ u: UInt32) -> (Int, UInt32)? {
        let e = Int((u >> 23) & 0xFF), m = u & 0x7F_FFFF
        if e == 255 { return nil }
        return e == 0 ? (1, m) : (e, m | 0x80_0000)
    }

    /// The integer of pattern `u`, and the bits it lost below the unit (value, count).
    @inline(__always)
    static func integer(of u: UInt32, _ channel: Channel, bits: Int) -> (q: Int32, lost: UInt32, lostBits: Int) {
        guard let (ep, sig) = finite(u), sig != 0 else { return (0, 0, 0) }
        // Only samples in the channel's range have an integer: leading bit from the unit to what `bits`
        // hold, and on an exact channel no bit below the unit.
        let top = ep + 31 - sig.leadingZeroBitCount
        guard top >= channel.unit, top - channel.unit <= bits - 2,
              channel.leftovers || ep + sig.trailingZeroBitCount >= channel.unit else { return (0, 0, 0) }
        let mag: UInt32, lost: UInt32, lostBits: Int
        if ep >= channel.unit {
            mag = sig << UInt32(ep - channel.unit)  // below 2^(bits − 1) ≤ 2^31
            (lost, lostBits) = (0, 0)
        } else {
            let s = channel.unit - ep  // at most topbit(sig) ≤ 23, as top ≥ unit
            mag = sig >> UInt32(s)
            (lost, lostBits) = (sig & ((1 << UInt32(s)) - 1), s)
        }
        let q = Int32(bitPattern: mag)
        return (u >> 31 == 1 ? -q : q, lost, lostBits)
    }

    /// Whether pattern `u` has integer 0 on `channel`: ±0, NaN, ±∞, or outside the channel's range.
    static func hasNoInteger(_ u: UInt32, _ channel: Channel, bits: Int) -> Bool { integer(of: u, channel, bits: bits).q == 0 }

    // MARK: Decoding

    /// Joins integers decoded by the flow with the side stream back into float32 patterns.
    public struct Joiner {
        var stack: RansStack
        let channels: [Channel]
        let integerBits: Int
        var escapes: [AdaptiveBit]
        /// Per channel, the last two integers.
        var history: [History]
        var memories: [LeftoverMemory]

        /// Throws when the side stream is not a rANS stack or a channel's mapping is out of range.
        public init(side: some Collection<UInt8>, channels: [Channel], integerBits: Int) throws(AudioFlowError) {
            guard (1...32).contains(integerBits) else { throw .corrupt("float integers of \(integerBits) bits") }
            for channel in channels where !(1...IEEESplit.maxUnit).contains(channel.unit) {
                throw .corrupt("float unit \(channel.unit)")
            }
            do { stack = try RansStack(bytes: side) } catch { throw .corrupt("float side stack: \(error)") }
            self.channels = channels
            self.integerBits = integerBits
            escapes = Array(repeating: AdaptiveBit(), count: 2 * channels.count)
            history = Array(repeating: History(), count: channels.count)
            memories = channels.map { $0.leftovers ? LeftoverMemory() : LeftoverMemory(empty: ()) }
        }

        /// The float32 pattern of channel `c`'s next sample, whose integer is `q`; samples must come
        /// frame by frame, channel by channel.
        public mutating func pattern(_ q: Int32, channel c: Int) throws(AudioFlowError) -> UInt32 {
            let channel = channels[c]
            if q == history[c].standIn(bits: integerBits), escapes[2 * c].decode(&stack) == 1 {
                if escapes[2 * c + 1].decode(&stack) == 0 { return 0x8000_0000 }
                let u = UInt32(stack.popUniform(count: 1 << 32))
                // Only what no integer says: not ±0, and NaN, ±∞ or outside the channel's range.
                guard u & 0x7FFF_FFFF != 0, IEEESplit.hasNoInteger(u, channel, bits: integerBits) else {
                    throw .corrupt("float pattern \(u) coded as raw bits")
                }
                return u
            }
            history[c].append(q)
            if q == 0 { return 0 }
            let mag = q.magnitude
            guard integerBits == 32 || mag < UInt32(1) << UInt32(integerBits - 1), mag < 1 << 31 else {
                throw .corrupt("float integer \(q) wider than \(integerBits) bits")
            }
            let top = 31 - mag.leadingZeroBitCount
            let exponent = channel.unit + top - 23  // the biased exponent of a normal result
            guard exponent <= 254 else { throw .corrupt("float integer \(q) above the largest float") }
            let sig: UInt32, e: Int
            if top >= 23 {
                let shift = UInt32(top - 23)
                guard mag & ((1 << shift) - 1) == 0 else { throw .corrupt("float integer \(q) off the significand's grid") }
                (sig, e) = (mag >> shift, exponent)
            } else {
                // Normal below the unit, or subnormal (e' = 1): s bits lost.
                let s = exponent >= 1 ? 23 - top : channel.unit - 1
                let lost = channel.leftovers && s > 0 ? leftover(q, bits: s, channel: c) : 0
                (sig, e) = (mag << UInt32(s) | lost, max(exponent, 0))
            }
            return UInt32(q < 0 ? 1 : 0) << 31 | UInt32(e) << 23 | (sig & 0x7F_FFFF)
        }

        /// The `bits` lost bits of channel `c`'s integer `q`: the remembered ones when the side stream
        /// says they repeat, else uniform.
        mutating func leftover(_ q: Int32, bits: Int, channel c: Int) -> UInt32 {
            let remembered = memories[c].recall(q)
            if let remembered, memories[c].repeats[bits].decode(&stack) == 0 { return remembered }
            let lost = UInt32(stack.popUniform(count: 1 << UInt64(bits)))
            memories[c].remember(q, lost)
            return lost
        }

        /// Whether decoding has read below the side stream's data (no valid payload does).
        public var hasReadPastData: Bool { stack.hasReadPastData }

        /// Throws unless the side stream ended exactly where the samples did.
        public func finish() throws(AudioFlowError) {
            guard stack.isAtInitialState else { throw .corrupt("float side stream does not end where the samples do") }
        }
    }
}

/// The last leftover seen with each integer (a hashed table; a newer integer evicts an older one), and
/// per leftover width whether leftovers repeat. Floats computed from fewer distinct values than their
/// mantissas can hold (a gain applied to PCM) repeat their leftovers with their integers.
struct LeftoverMemory {
    static let slotBits = 16
    /// Integer and leftover per slot; integer 0 (which never has leftovers) marks an empty slot.
    var integers: [Int32]
    var leftovers: [UInt32]
    /// Per leftover width (index 1...23): the adaptive bit "repeats" (0) or not (1).
    var repeats = [AdaptiveBit](repeating: AdaptiveBit(), count: 24)

    init() {
        integers = Array(repeating: 0, count: 1 << Self.slotBits)
        leftovers = Array(repeating: 0, count: 1 << Self.slotBits)
    }

    /// A memory that is never used (a channel without leftovers).
    init(empty: ()) {
        integers = []
        leftovers = []
    }

    @inline(__always)
    static func slot(_ q: Int32) -> Int {
        Int((UInt32(bitPattern: q) &* 0x9E37_79B1) >> UInt32(32 - slotBits))
    }

    /// The leftover last remembered with `q`, if its slot still holds it.
    @inline(__always)
    func recall(_ q: Int32) -> UInt32? {
        let at = Self.slot(q)
        return integers[at] == q ? leftovers[at] : nil
    }

    @inline(__always)
    mutating func remember(_ q: Int32, _ lost: UInt32) {
        let at = Self.slot(q)
        integers[at] = q
        leftovers[at] = lost
    }
}

/// A channel's last two integers (0 before the start), and the stand-in an escape takes.
struct History {
    var last: Int32 = 0
    var beforeLast: Int32 = 0

    mutating func append(_ q: Int32) {
        beforeLast = last
        last = q
    }

    /// `2 · last − beforeLast`, clamped to what `bits` hold (`|q| < 2^(bits − 1)`).
    @inline(__always)
    func standIn(bits: Int) -> Int32 {
        let bound = (Int64(1) << Int64(bits - 1)) - 1
        return Int32(min(max(2 * Int64(last) - Int64(beforeLast), -bound), bound))
    }
}

/// One coded side symbol, recorded in decoding order.
struct SideSymbol {
    enum Kind: UInt8 { case bit, uniform }
    var value: UInt32
    var kind: Kind
    /// `bit`: the probability of 0 (Q12) it was coded with; `uniform`: its bit count.
    var parameter: UInt16
}

/// A binary decision's adaptive probability of 0, Q12 (LZMA's bit model: stays within 31...4065).
struct AdaptiveBit {
    var p0: UInt32 = 2048

    /// Records `bit` under the current probability, then adapts.
    mutating func code(_ bit: Int) -> SideSymbol {
        let symbol = SideSymbol(value: UInt32(bit), kind: .bit, parameter: UInt16(p0))
        update(bit)
        return symbol
    }

    mutating func decode(_ stack: inout RansStack) -> Int {
        let bit = stack.pop(BitDistribution(p0: p0))
        update(bit)
        return bit
    }

    @inline(__always)
    mutating func update(_ bit: Int) {
        if bit == 0 { p0 += (4096 - p0) >> 5 } else { p0 -= p0 >> 5 }
    }
}

/// Two symbols: 0 with probability `p0 / 4096`, 1 with the rest (`1 ≤ p0 ≤ 4095`).
struct BitDistribution: SymbolDistribution {
    let p0: UInt32
    var precision: Int { 12 }

    func interval(of symbol: Int) -> SymbolInterval {
        symbol == 0 ? SymbolInterval(start: 0, frequency: p0) : SymbolInterval(start: p0, frequency: 4096 - p0)
    }

    func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval) {
        let symbol = slot < p0 ? 0 : 1
        return (symbol, interval(of: symbol))
    }
}
