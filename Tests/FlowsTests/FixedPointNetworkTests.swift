import Testing
import EntropyCoding
@testable import Flows

/// The fixed-point network is a pure integer function: same output every time, equal to the
/// arithmetic written out by hand, wrapping (not trapping) on overflow.
struct FixedPointNetworkTests {
    static func network() throws -> FixedPointNetwork {
        let hidden = try #require(FixedPointDense(
            inputs: 3, outputs: 2, weights: [2, -1, 3, 1, 1, -4], biases: [4, -8], shift: 1, activation: .relu))
        let out = try #require(FixedPointDense(
            inputs: 2, outputs: 1, weights: [5, -3], biases: [0], shift: 0, activation: .leakyRelu(shift: 2)))
        return try #require(FixedPointNetwork(layers: [hidden, out]))
    }

    @Test func matchesHandArithmetic() throws {
        let net = try Self.network()
        // hidden: (4 + 2·10 − 1·6 + 3·(−2)) >> 1 = 6; (−8 + 10 + 6 + 8) >> 1 = 8 → relu (6, 8)
        // out: 5·6 − 3·8 = 6 → 6
        #expect(net.forward([10, 6, -2]) == [6])
        // hidden: (4 + 0 − 1·20 + 0) >> 1 = −8 → 0; (−8 + 20) >> 1 = 6 → out: −18 → leaky ⌊−18/4⌋ = −5
        #expect(net.forward([0, 20, 0]) == [-5])
        #expect(net.multiplyAdds == 8)
    }

    @Test func isDeterministicAndWraps() throws {
        let net = try Self.network()
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let x = (0..<3).map { _ in Int32.random(in: Int32.min...Int32.max, using: &rng) }
            #expect(net.forward(x) == net.forward(x))
        }
    }

    @Test func rejectsLayersThatDoNotChain() throws {
        let a = try #require(FixedPointDense(inputs: 2, outputs: 3, weights: [Int16](repeating: 1, count: 6),
                                             biases: [0, 0, 0], shift: 0, activation: .none))
        #expect(FixedPointNetwork(layers: [a, a]) == nil)
        #expect(FixedPointDense(inputs: 2, outputs: 1, weights: [1], biases: [0], shift: 0, activation: .none) == nil)
    }
}
