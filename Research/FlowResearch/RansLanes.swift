import EntropyCoding

/// The fast path of interleaved coding (see `RansStack+Lanes.swift` for the semantics): the same
/// arithmetic as `RansStack.push(_:precision:)` / `pop(_:precision:)`, with lane states, symbols
/// and words behind unsafe pointers, wrapping arithmetic and no allocation inside the loop.
/// Tested byte for byte against `pushReference` / `popReference`.
extension RansStack {
    /// Encodes `symbols` (last first) through `lanes` states; see `pushReference` for the plain version.
    @inlinable
    mutating func pushFast<S: DistributionSource>(_ symbols: [Int], lanes: Int, _ source: S) {
        typealias D = S.Distribution
        precondition((1...Self.maxLaneCount).contains(lanes), "lanes must be 1...\(Self.maxLaneCount)")
        let n = symbols.count
        guard n > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.maxLaneCount) { st in
            for j in 1..<lanes { st[j] = popLaneState() }
            st[0] = rawState
            // Each symbol emits at most one word.
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: n) { out in
                var written = 0
                symbols.withUnsafeBufferPointer { syms in
                    if D.self == Categorical.self {
                        // Tables of division-free encoder steps: same states as the loop below.
                        var j = (n &- 1) % lanes
                        var i = n &- 1
                        while i >= 0 {
                            let dist = unsafeBitCast(source[i], to: Categorical.self)
                            let symbol = dist.encoderSymbols[syms[i]]
                            precondition(symbol.xMax != 0, "symbol outside the distribution's support")  // freq 0
                            var x = st[j]
                            if x >= symbol.xMax {
                                out[written] = UInt32(truncatingIfNeeded: x)
                                written &+= 1
                                x >>= 32
                            }
                            st[j] = symbol.encode(x)
                            j = j == 0 ? lanes &- 1 : j &- 1
                            i &-= 1
                        }
                        return
                    }
                    var j = (n &- 1) % lanes
                    var i = n &- 1
                    while i >= 0 {
                        let dist = source[i]
                        let interval = dist.interval(of: syms[i])
                        let p = UInt64(truncatingIfNeeded: dist.precision)
                        let freq = UInt64(interval.frequency)
                        precondition(freq != 0, "symbol outside the distribution's support")
                        var x = st[j]
                        // Invariant as in push(_:precision:): x in [L, L << 32) before and after.
                        if x >= ((Self.rawLowerBound >> p) << 32) &* freq {
                            out[written] = UInt32(truncatingIfNeeded: x)
                            written &+= 1
                            x >>= 32
                        }
                        st[j] = ((x / freq) << p) &+ (x % freq) &+ UInt64(interval.start)
                        j = j == 0 ? lanes &- 1 : j &- 1
                        i &-= 1
                    }
                }
                appendEmitted(UnsafeBufferPointer(rebasing: out[0..<written]))
            }
            rawState = st[0]
            for j in (1..<lanes).reversed() { pushLaneState(st[j]) }
        }
    }

    /// Decodes `n` symbols (first first) through `lanes` states; see `popReference` for the plain version.
    @inlinable
    mutating func popFast<S: DistributionSource>(count n: Int, lanes: Int, _ source: S) -> [Int] {
        precondition((1...Self.maxLaneCount).contains(lanes), "lanes must be 1...\(Self.maxLaneCount)")
        precondition(n >= 0, "negative count")
        guard n > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.maxLaneCount) { st in
            for j in 1..<lanes { st[j] = popLaneState() }
            st[0] = rawState
            var top = rawWords.count
            var depth = rawTailDepth
            let symbols = [Int](unsafeUninitializedCapacity: n) { buffer, initialized in
                rawWords.withUnsafeBufferPointer { w in
                    var first = 0
                    if lanes == 4, S.self == SharedDistribution<Categorical>.self {
                        // Four lanes, one table: states in registers, four symbols per turn.
                        first = Self.decodeFourLanes(unsafeBitCast(source, to: SharedDistribution<Categorical>.self).distribution,
                                                     count: n, states: st, output: buffer, words: w, top: &top, depth: &depth)
                    }
                    var j = 0  // `first` is a multiple of `lanes`
                    for i in first..<n {
                        let dist = source[i]
                        let p = UInt64(truncatingIfNeeded: dist.precision)
                        let mask = (UInt64(1) << p) &- 1
                        var x = st[j]
                        let (symbol, interval) = dist.symbol(containing: UInt32(truncatingIfNeeded: x & mask))
                        buffer[i] = symbol
                        x = UInt64(interval.frequency) &* (x >> p) &+ (x & mask) &- UInt64(interval.start)
                        if x < Self.rawLowerBound {
                            let word: UInt32
                            if top > 0 {
                                top &-= 1
                                word = w[top]
                            } else {
                                word = Self.rawTailWord(depth)
                                depth &+= 1
                            }
                            x = (x << 32) | UInt64(word)
                        }
                        st[j] = x
                        j = j &+ 1 == lanes ? 0 : j &+ 1
                    }
                }
                initialized = n
            }
            rawWords.removeLast(rawWords.count &- top)
            rawTailDepth = depth
            rawState = st[0]
            for j in (1..<lanes).reversed() { pushLaneState(st[j]) }
            return symbols
        }
    }

    /// Decodes symbols `0..<k` (k = n rounded down to a multiple of 4) of a 4-lane array under one
    /// categorical distribution, with the four states in local variables; returns `k`. Same
    /// arithmetic, same order of refills as the general loop.
    @inlinable
    static func decodeFourLanes(_ dist: Categorical, count n: Int, states st: UnsafeMutableBufferPointer<UInt64>,
                                output: UnsafeMutableBufferPointer<Int>, words w: UnsafeBufferPointer<UInt32>,
                                top: inout Int, depth: inout UInt64) -> Int {
        let p = UInt64(truncatingIfNeeded: dist.precision)
        let mask = (UInt64(1) << p) &- 1
        let shift = dist.tableShift
        return dist.slotTable.withUnsafeBufferPointer { table in
            dist.intervals.withUnsafeBufferPointer { intervals in
                dist.starts.withUnsafeBufferPointer { starts in
                    @inline(__always)
                    func step(_ x: inout UInt64, _ i: Int) {
                        let slot = UInt32(truncatingIfNeeded: x & mask)
                        var symbol = Int(table[Int(slot >> shift)])
                        if shift != 0 {
                            while starts[symbol &+ 1] <= slot { symbol &+= 1 }
                        }
                        let packed = intervals[symbol]
                        output[i] = symbol
                        x = (packed >> 32) &* (x >> p) &+ (x & mask) &- (packed & 0xFFFF_FFFF)
                        if x < rawLowerBound {
                            let word: UInt32
                            if top > 0 {
                                top &-= 1
                                word = w[top]
                            } else {
                                word = rawTailWord(depth)
                                depth &+= 1
                            }
                            x = (x << 32) | UInt64(word)
                        }
                    }
                    var x0 = st[0], x1 = st[1], x2 = st[2], x3 = st[3]
                    var i = 0
                    while i &+ 4 <= n {
                        step(&x0, i)
                        step(&x1, i &+ 1)
                        step(&x2, i &+ 2)
                        step(&x3, i &+ 3)
                        i &+= 4
                    }
                    st[0] = x0; st[1] = x1; st[2] = x2; st[3] = x3
                    return i
                }
            }
        }
    }

    /// Appends words emitted by a fast loop, in order, exactly as `emit` would have.
    @usableFromInline
    mutating func appendEmitted(_ emitted: UnsafeBufferPointer<UInt32>) {
        if rawWords.isEmpty && rawTailDepth > 0 {
            for word in emitted { rawEmit(word) }  // may fold words back into the tail
        } else {
            rawWords.append(contentsOf: emitted)
        }
    }
}

/// Where the fast loops get symbol `i`'s distribution. A generic source (rather than a closure)
/// lets the compiler inline the access, so a shared table-backed distribution is not copied (and
/// its arrays retained and released) once per symbol.
@usableFromInline
protocol DistributionSource {
    associatedtype Distribution: SymbolDistribution
    subscript(_ index: Int) -> Distribution { get }
}

/// The same distribution for every symbol.
@usableFromInline
struct SharedDistribution<Distribution: SymbolDistribution>: DistributionSource {
    @usableFromInline let distribution: Distribution
    @inlinable init(_ distribution: Distribution) { self.distribution = distribution }
    @inlinable subscript(_ index: Int) -> Distribution { distribution }
}

/// One distribution per symbol, from a buffer.
@usableFromInline
struct DistributionBuffer<Distribution: SymbolDistribution>: DistributionSource {
    @usableFromInline let buffer: UnsafeBufferPointer<Distribution>
    @inlinable init(_ buffer: UnsafeBufferPointer<Distribution>) { self.buffer = buffer }
    @inlinable subscript(_ index: Int) -> Distribution { buffer[index] }
}

/// One distribution per symbol, computed by a closure.
@usableFromInline
struct DistributionClosure<Distribution: SymbolDistribution>: DistributionSource {
    @usableFromInline let closure: (Int) -> Distribution
    @inlinable init(_ closure: @escaping (Int) -> Distribution) { self.closure = closure }
    @inlinable subscript(_ index: Int) -> Distribution { closure(index) }
}
