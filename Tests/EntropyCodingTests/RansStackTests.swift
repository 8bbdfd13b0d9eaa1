import Testing
@testable import EntropyCoding
import FlowResearch  // Categorical and lanes: distributions and array calls to test the coder with

@Suite struct RansStackTests {
    @Test func freshStackIsAtInitialStateAndSerialisesToNineBytes() throws {
        let stack = RansStack()
        #expect(stack.isAtInitialState)
        #expect(stack.bytes.count == 9)
        #expect(try RansStack(bytes: stack.bytes).isAtInitialState)
    }

    @Test(arguments: [16, 24])
    func categoricalSymbolsComeBackInReverseOrder(precision: Int) throws {
        var rng = SplitMix64(seed: 1)
        let dist = Categorical(counts: [50, 1, 7, 0, 300, 2, 2, 9], precision: precision)
        let symbols = (0..<2000).map { _ in [0, 1, 2, 4, 5, 6, 7].randomElement(using: &rng)! }
        var stack = RansStack()
        for s in symbols { stack.push(s, dist) }
        #expect(!stack.isAtInitialState)
        var decoder = try RansStack(bytes: stack.bytes)
        let decoded = (0..<symbols.count).map { _ in decoder.pop(dist) }
        #expect(decoded == symbols.reversed())
        #expect(decoder.isAtInitialState)
    }

    @Test(arguments: [16, 24])
    func popThenPushRestoresTheExactStack(precision: Int) throws {
        let dist = Categorical(counts: [3, 1, 4, 1, 5, 9, 2, 6], precision: precision)
        // From a fresh stack (popping samples from the tail) and from one holding data.
        var withData = RansStack()
        for s in 0..<100 { withData.push(s % 8, dist) }
        for original in [RansStack(), withData] {
            var stack = original
            let samples = (0..<500).map { _ in stack.pop(dist) }
            #expect(stack.bytes != original.bytes)
            for s in samples.reversed() { stack.push(s, dist) }
            #expect(stack.bytes == original.bytes)
            #expect(stack.isAtInitialState == original.isAtInitialState)
        }
    }

    @Test func samplesFollowTheDistribution() {
        // Popping from a fresh stack is sampling: frequencies within a few percent of the model's.
        let dist = Categorical(counts: [1, 3], precision: 16)
        var stack = RansStack()
        let ones = (0..<4000).reduce(0) { n, _ in n + stack.pop(dist) }
        #expect((2800...3200).contains(ones))
    }

    @Test func interleavedPushesAndPopsBehaveAsAStack() throws {
        var rng = SplitMix64(seed: 7)
        let a = Categorical(counts: [1, 1000], precision: 16)
        let b = Categorical(counts: (1...200).map { UInt32($0) }, precision: 24)
        var stack = RansStack()
        var expected: [(Int, Bool)] = []
        for _ in 0..<3000 {
            if !expected.isEmpty && Int.random(in: 0..<3, using: &rng) == 0 {
                let (symbol, isA) = expected.removeLast()
                #expect((isA ? stack.pop(a) : stack.pop(b)) == symbol)
            } else if Bool.random(using: &rng) {
                let s = Int.random(in: 0..<2, using: &rng); stack.push(s, a); expected.append((s, true))
            } else {
                let s = Int.random(in: 0..<200, using: &rng); stack.push(s, b); expected.append((s, false))
            }
        }
        var decoder = try RansStack(bytes: stack.bytes)
        for (symbol, isA) in expected.reversed() { #expect((isA ? decoder.pop(a) : decoder.pop(b)) == symbol) }
        #expect(decoder.isAtInitialState)
    }

    @Test func codedSizeIsCloseToTheIdealLength() {
        // 20k symbols of a 1:3 distribution at precision 16: about 0.811 bits each, plus the 9-byte header.
        let dist = Categorical(counts: [1, 3], precision: 16)
        var rng = SplitMix64(seed: 3)
        var stack = RansStack()
        var ideal = 0.0
        for _ in 0..<20000 {
            let s = rng.next() % 4 == 0 ? 0 : 1
            ideal += s == 0 ? 2 : 0.415_037_5
            stack.push(s, dist)
        }
        let bits = Double(stack.bytes.count * 8)
        #expect(bits < ideal * 1.005 + 72)
        #expect(bits > ideal * 0.98)
    }
}

@Suite struct ReadPastDataTests {
    @Test func poppingBelowTheDataIsReportedAndPushingBackClearsIt() throws {
        let dist = Categorical(counts: [3, 1, 4, 1, 5], precision: 12)
        var stack = RansStack()
        #expect(!stack.hasReadPastData)
        let symbols = (0..<500).map { $0 % 5 }
        for s in symbols.reversed() { stack.push(s, dist) }
        var decoder = try RansStack(bytes: stack.bytes)
        for s in symbols {
            #expect(decoder.pop(dist) == s)
            #expect(!decoder.hasReadPastData)
        }
        #expect(decoder.isAtInitialState)
        // One more pop samples from the tail, sooner or later reading below the data.
        var sampled: [Int] = []
        while !decoder.hasReadPastData { sampled.append(decoder.pop(dist)) }
        for s in sampled.reversed() { decoder.push(s, dist) }
        #expect(!decoder.hasReadPastData && decoder.isAtInitialState)
    }
}
