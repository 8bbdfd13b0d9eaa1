import Testing
@testable import EntropyCoding

@Suite struct UniformTests {
    static let counts: [UInt64] = [1, 2, 3, 255, 65535, 65536, 65537, 1_000_003, 1 << 31, (1 << 32) - 1, 1 << 32]

    @Test(arguments: counts)
    func edgeValuesRoundTrip(count: UInt64) throws {
        let values = Set([0, 1, count / 2, count &- 2, count - 1].filter { $0 < count })
        var stack = RansStack()
        for v in values.sorted() { stack.pushUniform(v, count: count) }
        var decoder = try RansStack(bytes: stack.bytes)
        for v in values.sorted().reversed() { #expect(decoder.popUniform(count: count) == v) }
        #expect(decoder.isAtInitialState)
    }

    @Test(arguments: counts)
    func samplesStayBelowCountAndPushBack(count: UInt64) {
        var stack = RansStack()
        let samples = (0..<200).map { _ in stack.popUniform(count: count) }
        #expect(samples.allSatisfy { $0 < count })
        for v in samples.reversed() { stack.pushUniform(v, count: count) }
        #expect(stack.isAtInitialState)
    }

    @Test(arguments: [1, 2, 7, 15, 16])
    func popUniformBitsDecodesAndSamplesExactlyAsPopUniformCount(bits: Int) throws {
        // Pushed values, then 300 more pops past the data (samples from the tail): same values, same states.
        var rng = SplitMix64(seed: UInt64(bits))
        var stack = RansStack()
        for _ in 0..<300 { stack.pushUniform(rng.next() & ((1 << UInt64(bits)) - 1), count: 1 << UInt64(bits)) }
        var a = try RansStack(bytes: stack.bytes), b = a
        for _ in 0..<600 {
            #expect(a.popUniform(bits: bits) == b.popUniform(count: 1 << UInt64(bits)))
            #expect(a.state == b.state)
        }
        #expect(a.bytes == b.bytes)
    }

    @Test func costIsWithinATenThousandthOfABitOfLog2Count() {
        // 3000 values uniform over 1_000_003: ideal 3000 * log2(1_000_003) bits.
        var rng = SplitMix64(seed: 5)
        var stack = RansStack()
        for _ in 0..<3000 { stack.pushUniform(rng.next() % 1_000_003, count: 1_000_003) }
        let ideal = 3000 * 19.931_574
        let bits = Double(stack.bytes.count * 8 - 72)
        #expect(abs(bits - ideal) < 64)
    }
}
