import Foundation
import Testing
import EntropyCoding
@testable import Flows
@testable import FlowResearch

/// The research layers invert exactly: additive coupling (hand-made and network translations) and
/// the bits-back affine coupling, which also costs its log-determinant on the stack.
struct CouplingTests {
    struct ScaledTranslation: IntegerTranslation {
        var fractionBits: Int { 8 }
        func translate(_ condition: [Int32], into predictions: inout [Int32]) {
            for i in predictions.indices { predictions[i] = condition[i] &* 640 }
        }
    }

    @Test func additiveCouplingInvertsAndRounds() {
        var rng = SplitMix64(seed: 11)
        let xa = (0..<500).map { _ in Int32.random(in: -70000...70000, using: &rng) }
        let xb = (0..<500).map { _ in Int32.random(in: -70000...70000, using: &rng) }
        let coupling = AdditiveCoupling(translation: ScaledTranslation())
        let yb = coupling.forward(xb, given: xa)
        #expect(coupling.inverse(yb, given: xa) == xb)
        // round(2.5 · 3) = round(7.5) = 8 (half up).
        #expect(coupling.forward([0], given: [3]) == [-8])
    }

    @Test func interlacedResidualsAreTheCouplingOutput() throws {
        // The codec subtracts roundQ8(t) itself; it must be the coupling layer's rounding.
        var rng = SplitMix64(seed: 5)
        let a = Plane(width: 5, height: 4, samples: (0..<20).map { _ in Int32.random(in: 0...255, using: &rng) })
        let cond = SubbandCondition(subband: .d, width: 4, height: 3, coarse: a, diagonal: nil,
                                    leadResiduals: nil, activityShift: 0)
        let xb = (0..<12).map { _ in Int32.random(in: 0...255, using: &rng) }
        let coupling = AdditiveCoupling(translation: InterlacedPredictor())
        let (rounded, fixed) = coupling.roundedTranslation(cond, count: xb.count)
        #expect(rounded == fixed.map(roundQ8))
        #expect(coupling.inverse(coupling.forward(xb, given: cond), given: cond) == xb)
    }

    @Test(arguments: [(UInt32(3), UInt32(4)), (5, 3), (1, 256), (65536, 1), (7, 7)])
    func bitsBackAffineCouplingInvertsAndCostsLog2SOverR(r: UInt32, s: UInt32) throws {
        let layer = try #require(BitsBackAffineCoupling(numerator: r, denominator: s))
        var rng = SplitMix64(seed: UInt64(r * 31 + s))
        // Prime the stack with random data so the pops get real bits back.
        var stack = RansStack()
        for _ in 0..<4000 { stack.pushUniform(UInt64.random(in: 0..<65536, using: &rng), count: 65536) }
        let before = stack.bytes
        let x = (0..<3000).map { _ in Int32.random(in: -1000...1000, using: &rng) }
        let y = try layer.forward(x, stack: &stack)
        let grownBits = Double(stack.bytes.count - before.count) * 8
        let expected = Double(x.count) * log2(Double(s) / Double(r))
        #expect(abs(grownBits - expected) <= 64 + 0.002 * abs(expected), "grew \(grownBits) bits, log-det says \(expected)")
        #expect(try layer.inverse(y, stack: &stack) == x)
        #expect(stack.bytes == before, "the stack is back where it was")
    }

    @Test func bitsBackAffineCouplingScales() throws {
        let layer = try #require(BitsBackAffineCoupling(numerator: 1, denominator: 4))
        var stack = RansStack()
        // R = 1: no remainder is popped, so y = ⌊x / 4⌋ exactly.
        #expect(try layer.forward([0, 4, 8, -4, 101], stack: &stack) == [0, 1, 2, -1, 25])
        #expect(BitsBackAffineCoupling(numerator: 0, denominator: 4) == nil)
    }

    @Test func servesAsACouplingTranslation() throws {
        // A one-layer "network" predicting the mean of two neighbours in Q8: (128·l + 128·r).
        let mean = try #require(FixedPointDense(inputs: 2, outputs: 1, weights: [128, 128], biases: [0],
                                                shift: 0, activation: .none))
        let coupling = AdditiveCoupling(translation: NetworkTranslation(network: try #require(FixedPointNetwork(layers: [mean]))))
        let condition: [[Int32]] = [[10, 20], [3, 4], [0, 0]]
        let y = coupling.forward([15, 4, -1], given: condition)
        #expect(y == [0, 0, -1])        // round(15) = 15, round(3.5) = 4, 0
        #expect(coupling.inverse(y, given: condition) == [15, 4, -1])
    }
}
