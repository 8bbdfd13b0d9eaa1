import Testing
@testable import EntropyCoding
@testable import FlowResearch

@Suite struct LaneTests {
    /// Stacks to start from: fresh, holding data, and with tail words popped and no data (where
    /// emitted words may fold back into the tail).
    static func startingStacks() -> [RansStack] {
        let dist = Categorical(counts: [1, 2, 3, 4, 5], precision: 16)
        var withData = RansStack()
        for s in 0..<50 { withData.push(s % 5, dist) }
        var belowTail = RansStack()
        for _ in 0..<40 { _ = belowTail.pop(dist) }
        return [RansStack(), withData, belowTail]
    }

    @Test(arguments: 1...8)
    func fastPathEqualsTheReferenceOnRandomLogistics(lanes: Int) throws {
        var rng = SplitMix64(seed: UInt64(lanes))
        let n = 257
        let dists = (0..<n).map { k in
            DiscretizedLogistic(meanQ8: Int32(truncatingIfNeeded: Int64(rng.next() % 20_000) - 10_000),
                                scaleQ8: Int32(16 + rng.next() % 3000), support: -255...255,
                                precision: k % 3 == 0 ? 24 : 16)
        }
        let symbols = dists.map { d in Int(d.codedRange.lowerBound) + Int(rng.next() % UInt64(d.codedRange.count)) }
        for start in Self.startingStacks() {
            var fast = start, reference = start
            fast.push(symbols, dists, lanes: lanes)
            reference.pushReference(symbols, dists, lanes: lanes)
            #expect(fast.bytes == reference.bytes)

            var decoder = try RansStack(bytes: fast.bytes)
            var referenceDecoder = decoder
            #expect(decoder.pop(count: n, dists, lanes: lanes) == symbols)
            #expect(referenceDecoder.popReference(dists, lanes: lanes) == symbols)
            #expect(decoder.bytes == start.bytes)
            #expect(referenceDecoder.bytes == start.bytes)
        }
    }

    @Test(arguments: [1, 2, 4, 8])
    func samplingAnArrayAndPushingItBackRestoresTheStack(lanes: Int) {
        let dist = Categorical(counts: (1...40).map { UInt32($0 * $0) }, precision: 24)
        for start in Self.startingStacks() {
            var stack = start
            let samples = stack.pop(count: 1000, dist, lanes: lanes)
            var reference = start
            #expect(reference.popReference([Categorical](repeating: dist, count: 1000), lanes: lanes) == samples)
            #expect(reference.bytes == stack.bytes)
            stack.push(samples, dist, lanes: lanes)
            #expect(stack.bytes == start.bytes)
        }
    }

    @Test func oneLaneEqualsPushingTheSymbolsOneByOne() {
        var rng = SplitMix64(seed: 5)
        let dist = Categorical(counts: [9, 1, 30, 2], precision: 16)
        let symbols = (0..<500).map { _ in Int(rng.next() % 4) }
        var lanes = RansStack(), single = RansStack()
        lanes.push(symbols, dist, lanes: 1)
        for s in symbols.reversed() { single.push(s, dist) }
        #expect(lanes.bytes == single.bytes)
    }

    @Test func emptyArraysAreANoOp() {
        for start in Self.startingStacks() {
            var stack = start
            stack.push([], Categorical(counts: [1], precision: 16))
            #expect(stack.pop(count: 0, Categorical(counts: [1], precision: 16)).isEmpty)
            #expect(stack.bytes == start.bytes)
        }
    }
}

@Suite struct EncoderSymbolTests {
    @Test func divisionFreeStepEqualsTheDivision() {
        var rng = SplitMix64(seed: 8)
        for precision in [1, 14, 16, 24, 31] {
            for _ in 0..<300 {
                let total = UInt64(1) << UInt64(precision)
                let freq = [1, 2, 3, total / 2 + 1, total, 1 + rng.next() % total].filter { $0 <= total }.randomElement(using: &rng)!
                let start = UInt32(rng.next() % (total - freq + 1))
                let symbol = EncoderSymbol(SymbolInterval(start: start, frequency: UInt32(freq)), precision: precision)
                for _ in 0..<20 {
                    // Any renormalised state: L <= x < xMax.
                    let x = RansStack.lowerBound + rng.next() % (symbol.xMax - RansStack.lowerBound)
                    let expected = ((x / freq) << UInt64(precision)) + x % freq + UInt64(start)
                    #expect(symbol.encode(x) == expected)
                }
            }
        }
    }

    @Test(arguments: [1, 3, 8])
    func categoricalFastPathEqualsTheReference(lanes: Int) throws {
        var rng = SplitMix64(seed: 13)
        let dists = (0..<4).map { k in
            Categorical(counts: (0..<(50 + k * 30)).map { _ in UInt32(rng.next() % 1000) + 1 }, precision: k % 2 == 0 ? 16 : 24)
        }
        let which = (0..<999).map { _ in Int(rng.next() % 4) }
        let symbols = which.map { Int(rng.next() % UInt64(dists[$0].frequencies.count)) }
        for start in LaneTests.startingStacks() {
            var fast = start, reference = start
            fast.push(symbols, lanes: lanes) { dists[which[$0]] }
            reference.pushReference(symbols, which.map { dists[$0] }, lanes: lanes)
            #expect(fast.bytes == reference.bytes)
            var decoder = try RansStack(bytes: fast.bytes)
            #expect(decoder.pop(count: symbols.count, lanes: lanes) { dists[which[$0]] } == symbols)
            #expect(decoder.bytes == start.bytes)
        }
    }
}

@Suite struct FourLaneCategoricalTests {
    /// The unrolled four-lane decoder for one shared Categorical must match the reference,
    /// for lengths that are and are not multiples of four.
    @Test(arguments: [16, 24], [1, 4, 7, 1001])
    func unrolledDecoderEqualsTheReference(precision: Int, count: Int) throws {
        var rng = SplitMix64(seed: UInt64(precision * count))
        let dist = Categorical(counts: (0..<300).map { _ in UInt32(rng.next() % 5000) }, precision: precision)
        let support = dist.frequencies.indices.filter { dist.frequencies[$0] > 0 }
        let symbols = (0..<count).map { _ in support.randomElement(using: &rng)! }
        for start in LaneTests.startingStacks() {
            var stack = start
            stack.push(symbols, dist, lanes: 4)
            var fast = try RansStack(bytes: stack.bytes)
            var reference = fast
            #expect(fast.pop(count: count, dist, lanes: 4) == symbols)
            #expect(reference.popReference([Categorical](repeating: dist, count: count), lanes: 4) == symbols)
            #expect(fast.bytes == reference.bytes)
            #expect(fast.bytes == start.bytes)
        }
    }
}
