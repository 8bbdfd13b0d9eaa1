import Testing
@testable import FlowTraining

/// The hand-written backward passes against central finite differences.
@Suite struct GradientTests {
    @Test func denseBackwardMatchesFiniteDifferences() {
        var rng = SplitMix64(seed: 11)
        var net = DenseNetwork(widths: [5, 7, 4, 2], rng: &rng)
        for i in net.parameters.indices { net.parameters[i] += 0.1 * rng.normal() }   // nonzero biases too
        let x: [Float] = (0..<5).map { _ in rng.normal() }
        let weights: [Float] = [0.7, -1.3]   // loss = Σ weights · outputs
        func loss(_ n: DenseNetwork) -> Double {
            var a = [Float](repeating: 0, count: n.activationCount)
            x.withUnsafeBufferPointer { xp in a.withUnsafeMutableBufferPointer { n.forward(xp.baseAddress!, activations: $0.baseAddress!) } }
            return Double(weights[0] * a[n.outputOffset] + weights[1] * a[n.outputOffset + 1])
        }
        var a = [Float](repeating: 0, count: net.activationCount)
        var g = [Float](repeating: 0, count: net.parameters.count)
        var scratch = [Float](repeating: 0, count: net.scratchCount)
        x.withUnsafeBufferPointer { xp in
            a.withUnsafeMutableBufferPointer { ap in
                net.forward(xp.baseAddress!, activations: ap.baseAddress!)
                weights.withUnsafeBufferPointer { wp in
                    net.backward(xp.baseAddress!, activations: UnsafePointer(ap.baseAddress!), outputGradient: wp.baseAddress!,
                                 gradient: &g, scratch: &scratch)
                }
            }
        }
        let eps: Float = 1e-2
        for i in net.parameters.indices {
            var plus = net, minus = net
            plus.parameters[i] += eps
            minus.parameters[i] -= eps
            let numeric = (loss(plus) - loss(minus)) / Double(2 * eps)
            #expect(abs(numeric - Double(g[i])) <= 2e-3 + 1e-2 * abs(numeric), "parameter \(i): \(numeric) vs \(g[i])")
        }
    }

    @Test(arguments: [(3.0, 2.6, 0.3, 0.5), (-1.0, 0.2, -0.4, -1.5), (10.0, 2.0, 1.0, 2.5), (0.0, 0.0, 0.0, -2.0)])
    func logisticLossDerivativesMatchFiniteDifferences(_ c: (Double, Double, Double, Double)) {
        let (v, m, d, l) = (Float(c.0), Float(c.1), Float(c.2), Float(c.3))
        let r = LogisticLoss.bits(value: v, mean: m, delta: d, log2Scale: l)
        let eps: Float = 1e-2
        let dd = (LogisticLoss.bits(value: v, mean: m, delta: d + eps, log2Scale: l).bits
            - LogisticLoss.bits(value: v, mean: m, delta: d - eps, log2Scale: l).bits) / (2 * eps)
        let dl = (LogisticLoss.bits(value: v, mean: m, delta: d, log2Scale: l + eps).bits
            - LogisticLoss.bits(value: v, mean: m, delta: d, log2Scale: l - eps).bits) / (2 * eps)
        #expect(abs(dd - r.dDelta) <= 1e-2 * max(1, abs(dd)), "∂/∂delta \(dd) vs \(r.dDelta)")
        #expect(abs(dl - r.dLog2Scale) <= 1e-2 * max(1, abs(dl)), "∂/∂log2 s \(dl) vs \(r.dLog2Scale)")
    }

    @Test func logisticLossIsTheCodeLengthOfTheDiscretizedLogistic() {
        // Over many integers the probabilities sum to 1 (the code lengths satisfy Kraft with equality).
        let total = (-200...200).reduce(0.0) { $0 + pow(2, -Double(LogisticLoss.bits(value: Float($1), mean: 0.3, delta: 0, log2Scale: 2).bits)) }
        #expect(abs(total - 1) < 1e-3)
    }
}

import Foundation
