import EntropyCoding

/// Coding a whole array with several interleaved rANS states ("lanes"), after ryg_rans' two-way
/// interleaving: symbol `i` goes through lane `i % lanes`, so consecutive symbols form independent
/// dependency chains the CPU can overlap. All lanes share the stack's words.
///
/// Lane 0 is the stack's own state. Lanes 1...`lanes - 1` are *popped off the stack* before the
/// array is coded and pushed back after it (bits-back), as uniform values over `[2^31, 2^63)`. So
/// `push(array)` = pop lanes, encode, push lanes, and `pop(count:)` = pop lanes, decode, push lanes:
/// each is the exact inverse of the other, also when `pop` runs past the pushed data (sampling).
/// The extra lanes cost about 63 bits each when the stack was empty, nothing otherwise.
///
/// With `lanes == 1` the output equals pushing the symbols one by one, last symbol first.
/// This file holds the readable reference; `RansLanes.swift` holds the fast path tested against it.
extension RansStack {
    /// Lane count used when none is given, chosen by measurement (README: "Entropy coder").
    public static let defaultLaneCount = 4
    /// Largest lane count.
    public static let maxLaneCount = 8

    /// Pushes `symbols` so that `pop(count:_:lanes:)` returns them in order, `symbols[i]` coded
    /// under `distributions[i]`. Precondition: equal counts, `1 <= lanes <= 8`, symbols in support.
    @inlinable
    public mutating func push<D: SymbolDistribution>(_ symbols: [Int], _ distributions: [D],
                                                     lanes: Int = defaultLaneCount) {
        precondition(symbols.count == distributions.count, "one distribution per symbol")
        distributions.withUnsafeBufferPointer { pushFast(symbols, lanes: lanes, DistributionBuffer($0)) }
    }

    /// Pushes `symbols`, all under `distribution`, so that `pop(count:_:lanes:)` returns them in order.
    @inlinable
    public mutating func push<D: SymbolDistribution>(_ symbols: [Int], _ distribution: D,
                                                     lanes: Int = defaultLaneCount) {
        pushFast(symbols, lanes: lanes, SharedDistribution(distribution))
    }

    /// Pops `distributions.count` symbols pushed with `push(_:_:lanes:)` (same lane count), in order.
    @inlinable
    public mutating func pop<D: SymbolDistribution>(count: Int, _ distributions: [D],
                                                    lanes: Int = defaultLaneCount) -> [Int] {
        precondition(count == distributions.count, "one distribution per symbol")
        return distributions.withUnsafeBufferPointer { popFast(count: count, lanes: lanes, DistributionBuffer($0)) }
    }

    /// Pops `count` symbols all pushed under `distribution` with `push(_:_:lanes:)`, in order.
    /// `count` sizes the result: validate counts read from a stream before passing them.
    @inlinable
    public mutating func pop<D: SymbolDistribution>(count: Int, _ distribution: D,
                                                    lanes: Int = defaultLaneCount) -> [Int] {
        popFast(count: count, lanes: lanes, SharedDistribution(distribution))
    }

    /// Pushes `symbols`, `symbols[i]` under `distribution(i)`, so that `pop(count:lanes:distribution:)`
    /// returns them in order. `distribution` is called once per symbol, last index first: build the
    /// distributions on the fly instead of storing an array of them.
    @inlinable
    public mutating func push<D: SymbolDistribution>(_ symbols: [Int], lanes: Int = defaultLaneCount,
                                                     distribution: (Int) -> D) {
        withoutActuallyEscaping(distribution) { pushFast(symbols, lanes: lanes, DistributionClosure($0)) }
    }

    /// Pops `count` symbols pushed with `push(_:lanes:distribution:)`, `symbol[i]` under
    /// `distribution(i)`, in order (first index first).
    @inlinable
    public mutating func pop<D: SymbolDistribution>(count: Int, lanes: Int = defaultLaneCount,
                                                    distribution: (Int) -> D) -> [Int] {
        withoutActuallyEscaping(distribution) { popFast(count: count, lanes: lanes, DistributionClosure($0)) }
    }

    // MARK: Reference implementation: one `push`/`pop` of the single-lane coder per symbol.

    /// The plain version of `push(_:_:lanes:)`, built from the single-lane coder.
    mutating func pushReference<D: SymbolDistribution>(_ symbols: [Int], _ distributions: [D], lanes: Int) {
        let popped = (1..<lanes).map { _ in popLaneState() }
        var states = [rawState] + popped  // lane 0 is the state *after* the lanes were popped
        for i in symbols.indices.reversed() {
            // Run the single-lane coder with lane i % lanes as its state.
            swap(&rawState, &states[i % lanes])
            push(symbols[i], distributions[i])
            swap(&rawState, &states[i % lanes])
        }
        rawState = states[0]
        for j in (1..<lanes).reversed() { pushLaneState(states[j]) }
    }

    /// The plain version of `pop(count:_:lanes:)`, built from the single-lane coder.
    mutating func popReference<D: SymbolDistribution>(_ distributions: [D], lanes: Int) -> [Int] {
        let popped = (1..<lanes).map { _ in popLaneState() }
        var states = [rawState] + popped  // lane 0 is the state *after* the lanes were popped
        var symbols: [Int] = []
        for i in distributions.indices {
            swap(&rawState, &states[i % lanes])
            symbols.append(pop(distributions[i]))
            swap(&rawState, &states[i % lanes])
        }
        rawState = states[0]
        for j in (1..<lanes).reversed() { pushLaneState(states[j]) }
        return symbols
    }

    // MARK: Lane states on the stack

    /// Pops a lane state, uniform over `[L, L << 32)`: `x = L + a * 2^31 + b`.
    @usableFromInline
    mutating func popLaneState() -> UInt64 {
        let a = popUniform(count: (1 << 32) - 1)
        let b = popUniform(count: 1 << 31)
        return Self.rawLowerBound + (a << 31) + b
    }

    /// Pushes a lane state; inverse of `popLaneState`.
    @usableFromInline
    mutating func pushLaneState(_ x: UInt64) {
        let v = x - Self.rawLowerBound
        pushUniform(v & ((1 << 31) - 1), count: 1 << 31)
        pushUniform(v >> 31, count: (1 << 32) - 1)
    }
}
