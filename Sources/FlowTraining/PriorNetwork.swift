import Flows

/// The float counterpart of `ImagePriorModel`: per-feature input scales (fixed from the training
/// set's spread, folded into the first layer when quantizing) and a `DenseNetwork` whose two
/// outputs are the translation correction (pixels) and `log2` of the scale.
public struct PriorNetwork: Sendable, Equatable {
    /// Multiplies each integer feature before the network.
    public var inputScale: [Float]
    /// The network (`PriorFeatures.count` inputs, 2 outputs).
    public var network: DenseNetwork

    /// A model from its parts (`inputScale` has one entry per feature).
    public init(inputScale: [Float], network: DenseNetwork) {
        precondition(inputScale.count == PriorFeatures.count && network.widths.first == PriorFeatures.count && network.widths.last == 2)
        self.inputScale = inputScale
        self.network = network
    }

    /// Input scales `1 / max(rms, 1)` per feature over (a sample of) `set`, so every input is O(1).
    public static func inputScales(of set: TrainingSet) -> [Float] {
        let n = PriorFeatures.count
        var sums = [Double](repeating: 0, count: n)
        let count = min(set.count, 200_000)
        guard count > 0 else { return [Float](repeating: 1.0 / 16, count: n) }
        for k in 0..<count { for f in 0..<n { let x = Double(set.features[k * n + f]); sums[f] += x * x } }
        return sums.map { Float(1 / max(($0 / Double(count)).squareRoot(), 1)) }
    }

    /// Mean code length in bits of the samples `range` of `set` under the float model.
    public func meanBits(_ set: TrainingSet, _ range: Range<Int>) -> Double {
        let n = PriorFeatures.count
        var x = [Float](repeating: 0, count: n), a = [Float](repeating: 0, count: network.activationCount)
        var total = 0.0
        for k in range {
            for f in 0..<n { x[f] = Float(set.features[k * n + f]) * inputScale[f] }
            x.withUnsafeBufferPointer { xp in a.withUnsafeMutableBufferPointer { network.forward(xp.baseAddress!, activations: $0.baseAddress!) } }
            let o = network.outputOffset
            total += Double(LogisticLoss.bits(value: set.values[k], mean: set.means[k], delta: a[o], log2Scale: a[o + 1]).bits)
        }
        return range.isEmpty ? 0 : total / Double(range.count)
    }
}
