import Foundation
import Testing
import EntropyCoding
@testable import Flows
import FlowResearch

/// Factor-out pushes latents so that they pop back in order, and costs their prior code length.
struct FactorOutTests {
    /// Latent i ~ logistic centred on the kept value i (scale 2), shifted by half the previous latent.
    struct NeighbourPrior: ConditionalPrior {
        func distribution(at index: Int, given kept: [Int32], earlier: ArraySlice<Int32>) -> DiscretizedLogistic {
            let mean = kept[index] &* 256 &+ (earlier.last ?? 0) &* 128
            return DiscretizedLogistic(meanQ8: mean, scaleQ8: 512, support: -100_000...100_000)
        }
    }

    @Test func roundTripsAndCostsTheCodeLength() throws {
        var rng = SplitMix64(seed: 21)
        let kept = (0..<4000).map { _ in Int32.random(in: -500...500, using: &rng) }
        var latents = [Int32]()
        for i in kept.indices {
            latents.append(kept[i] + (latents.last ?? 0) / 2 + Int32.random(in: -4...4, using: &rng))
        }
        latents[17] = 90_000                       // far outside the window: escapes
        let layer = FactorOut(prior: NeighbourPrior())
        var stack = RansStack()
        layer.forward(latents, given: kept, stack: &stack)
        var ideal = 0.0, escapes = 0
        for i in latents.indices {
            let d = layer.prior.distribution(at: i, given: kept, earlier: latents[..<i])
            guard d.codedRange.contains(latents[i]) else { escapes += 1; continue }
            let f = d.interval(of: Int(latents[i])).frequency
            ideal += Double(d.precision) - log2(Double(f))
        }
        #expect(escapes == 2, "the far value, and its successor whose mean it drags along")
        let bits = Double(stack.bytes.count * 8)
        #expect(bits >= ideal && bits < ideal * 1.01 + 100 * Double(escapes),
                "coded \(bits) bits, prior says \(ideal) + \(escapes) escapes")
        var back = try RansStack(bytes: stack.bytes)
        #expect(layer.inverse(count: latents.count, given: kept, stack: &back) == latents)
        #expect(back.isAtInitialState)
    }
}
