/// A stack of symbols coded with rANS: 64-bit state, 32-bit words (after ryg_rans' `rans64.h`).
///
/// `push` encodes, `pop` decodes, last in first out. Popping past the pushed data is not an error: it
/// *samples* from the distribution using deterministic pseudo-random words that lie below the bottom
/// of every stack (the "tail"), which is how bits-back coding gets its bits. Pushing the samples back
/// restores the stack exactly.
///
/// ```swift
/// var stack = RansStack()
/// let dist = DiscretizedLogistic(meanQ8: 256, scaleQ8: 256, support: 0...2)
/// stack.push(2, dist)
/// stack.push(0, dist)
/// var decoder = try RansStack(bytes: stack.bytes)
/// let a = decoder.pop(dist)   // 0
/// let b = decoder.pop(dist)   // 2
/// // decoder.isAtInitialState == true: everything pushed was popped.
/// ```
///
/// The whole coder is integer arithmetic, so every machine produces the same bytes.
public struct RansStack: Sendable {
    /// rANS normalisation interval is `[L, L << 32)` with `L = 2^31`: the state always has 63 bits,
    /// one emitted word of 32 bits moves it back into range, and `(x / freq) << precision` stays
    /// below 2^63 for any precision up to 31.
    @usableFromInline static let lowerBound: UInt64 = 1 << 31

    /// The state `x`. Invariant: `lowerBound <= x < lowerBound << 32`.
    @usableFromInline var state: UInt64
    /// Emitted words, bottom of the stack first.
    @usableFromInline var words: [UInt32]
    /// How many words of the infinite pseudo-random tail below `words` have been popped. The full
    /// stack is `tail[..., tailDepth + 1, tailDepth] + words`. Canonical form: a word equal to
    /// `tail(tailDepth - 1)` pushed onto empty `words` is folded back into the tail, so a stack
    /// has exactly one representation and `isAtInitialState` is an exact test.
    @usableFromInline var tailDepth: UInt64

    /// A fresh stack in its fixed initial state (`x = 2^31`, no words, untouched tail).
    public init() {
        state = Self.lowerBound
        words = []
        tailDepth = 0
    }

    /// True when all pushed data was popped (and nothing more): the decoder's integrity check.
    public var isAtInitialState: Bool {
        state == Self.lowerBound && words.isEmpty && tailDepth == 0
    }

    /// Number of 32-bit words currently stored (not counting the 64-bit state).
    public var wordCount: Int { words.count }

    /// True when words of the pseudo-random tail below the data have been popped (and not pushed back).
    ///
    /// A decoder whose encoder only *pushed*, starting from a fresh stack, can stop with an error the
    /// moment this becomes true: decoding runs the encoder's states backwards, and every one of those
    /// had an untouched tail (`push` never deepens it); a decoder that only pops never makes it
    /// shallower again, so the final `isAtInitialState` check would fail anyway. Stopping early keeps
    /// a hostile payload from making the decoder sample a whole declared geometry from the tail.
    /// Not for bits-back users, whose valid streams do pop below the data.
    @inlinable public var hasReadPastData: Bool { tailDepth != 0 }

    // MARK: The coder. That is all you need; interleaved lanes live in FlowResearch (Research/).

    /// Encodes `symbol` under `dist` on top of the stack.
    ///
    /// Precondition: `symbol` is in the support of `dist` (frequency >= 1).
    @inlinable
    public mutating func push<D: SymbolDistribution>(_ symbol: Int, _ dist: D) {
        let interval = dist.interval(of: symbol)
        push(interval, precision: dist.precision)
    }

    /// Decodes the symbol on top of the stack under `dist`; past the pushed data, samples from `dist`.
    @inlinable
    public mutating func pop<D: SymbolDistribution>(_ dist: D) -> Int {
        let precision = dist.precision
        let slot = UInt32(truncatingIfNeeded: state & ((1 &<< UInt64(truncatingIfNeeded: precision)) &- 1))
        let (symbol, interval) = dist.symbol(containing: slot)
        pop(interval, precision: precision)
        return symbol
    }

    /// Encodes one interval: `x -> (x / freq) << precision + x % freq + start`.
    ///
    /// Renormalisation first: the result stays below `L << 32` iff `x < x_max`, with
    /// `x_max = ((L >> precision) << 32) * freq`; otherwise emit the low word. One word is always
    /// enough because `x >> 32 < 2^31 <= x_max`, and after it `x >= x_max >> 32`, which maps to
    /// at least `L`. Precondition: `1 <= precision <= 31`, `freq >= 1`, `start + freq <= 2^precision`.
    @inlinable
    mutating func push(_ interval: SymbolInterval, precision: Int) {
        let freq = UInt64(interval.frequency)
        precondition(freq != 0, "symbol outside the distribution's support")
        // Precision is 1...31 (the distributions' contract), so the shifts need no range check.
        let p = UInt64(truncatingIfNeeded: precision)
        var x = state
        let xMax = ((Self.lowerBound &>> p) &<< 32) &* freq
        if x >= xMax {
            emit(UInt32(truncatingIfNeeded: x))
            x &>>= 32
        }
        state = ((x / freq) &<< p) &+ (x % freq) &+ UInt64(interval.start)
    }

    /// Decodes one interval: `x -> freq * (x >> precision) + (x mod 2^precision) - start`, then
    /// refills one word if `x` fell below `L`. Exact inverse of `push(_:precision:)`: a state in
    /// `[L, L << 32)` gives `x >= freq * (L >> precision)`, so a refill brings it back into range.
    @inlinable
    mutating func pop(_ interval: SymbolInterval, precision: Int) {
        // Precision is 1...31 (the distributions' contract), so the shifts need no range check.
        let p = UInt64(truncatingIfNeeded: precision)
        let mask = (UInt64(1) &<< p) &- 1
        var x = UInt64(interval.frequency) &* (state &>> p)
            &+ (state & mask) &- UInt64(interval.start)
        if x < Self.lowerBound {
            x = (x &<< 32) | UInt64(refill())
        }
        state = x
    }

    /// Puts one word on top of the stack, folding it into the tail when it is the tail word that
    /// was popped last (keeps the representation canonical).
    @inlinable
    mutating func emit(_ word: UInt32) {
        if words.isEmpty && tailDepth > 0 && word == Self.tailWord(tailDepth &- 1) {
            tailDepth &-= 1
        } else {
            words.append(word)
        }
    }

    /// Takes the top word: from `words`, or past them from the pseudo-random tail.
    @inlinable
    mutating func refill() -> UInt32 {
        if let word = words.popLast() { return word }
        let word = Self.tailWord(tailDepth)
        tailDepth &+= 1
        return word
    }

    /// Word `index` of the tail below every stack: SplitMix64 of the index, low 32 bits. Fixed
    /// forever: it is part of the format (a decoder regenerates these words to check integrity).
    @inlinable
    static func tailWord(_ index: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: SplitMix64.mix(index &+ SplitMix64.increment))
    }
}
