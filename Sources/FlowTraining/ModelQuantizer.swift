import Flows

/// Post-training quantization of a `PriorNetwork` to the codec's `ImagePriorModel`.
///
/// Layer 0 reads the integer features (the input scales folded into its weights); every layer
/// writes Q8 activations. Per layer the weights get `wb` fraction bits, the largest for which every
/// weight fits in Int16 and the accumulator provably stays below 2^30: interval arithmetic from the
/// feature bound `PriorFeatures.limit` through each layer (`Σ|w|·max|x| + |b|`). So no input the
/// codec can see makes an accumulator wrap. The shift is `wb + (input fraction bits) − 8`.
public enum ModelQuantizer {
    /// Fraction bits of every layer's output (the model's outputs are Q8).
    public static let activationFractionBits = 8
    static let accumulatorLimit = Double(1 << 30)

    /// The fixed-point model; throws if a layer cannot meet the bounds.
    public static func quantize(_ model: PriorNetwork) throws(TrainingError) -> ImagePriorModel {
        let net = model.network
        var layers = [FixedPointDense]()
        var inputBound = [Double](repeating: Double(PriorFeatures.limit), count: PriorFeatures.count)
        var inputBits = 0
        for l in 0..<net.widths.count - 1 {
            let n = net.widths[l], m = net.widths[l + 1], o = net.offset(l)
            // Float weights per integer input unit of this layer.
            var w = [Double](repeating: 0, count: m * n)
            for j in 0..<m {
                for i in 0..<n {
                    let x = Double(net.parameters[o + j * n + i])
                    w[j * n + i] = l == 0 ? x * Double(model.inputScale[i]) : x / Double(1 << inputBits)
                }
            }
            let b = (0..<m).map { Double(net.parameters[o + m * n + $0]) }
            let out = activationFractionBits
            let minBits = out                               // shift = wb + 0 − 8 ≥ 0 in input-unit terms
            var chosen: (Int, [Int16], [Int32], [Double])? = nil
            for wb in stride(from: 24, through: minBits, by: -1) {
                let f = Double(1 << wb)
                let q = w.map { ($0 * f).rounded() }
                guard q.allSatisfy({ abs($0) <= 32767 }) else { continue }
                let qb = b.map { ($0 * f).rounded() }
                var bounds = [Double]()
                var fits = true
                for j in 0..<m {
                    var acc = abs(qb[j])
                    for i in 0..<n { acc += abs(q[j * n + i]) * inputBound[i] }
                    if acc >= accumulatorLimit { fits = false; break }
                    bounds.append(acc)
                }
                guard fits else { continue }
                let shift = wb - out
                chosen = (shift, q.map { Int16($0) }, qb.map { Int32($0) }, bounds.map { ($0 / Double(1 << shift)).rounded(.up) + 1 })
                break
            }
            guard let (shift, qw, qb, outBound) = chosen else {
                throw .quantization("layer \(l): no weight precision keeps the accumulator below 2^30")
            }
            let last = l == net.widths.count - 2
            guard let layer = FixedPointDense(inputs: n, outputs: m, weights: qw, biases: qb, shift: Int32(shift),
                                              activation: last ? .none : .leakyRelu(shift: DenseNetwork.leakShift)) else {
                throw .quantization("layer \(l): shift \(shift) out of range")
            }
            layers.append(layer)
            inputBound = outBound
            inputBits = out
        }
        guard let network = FixedPointNetwork(layers: layers), let model = ImagePriorModel(network: network) else {
            throw .quantization("the network does not have the prior's shape")
        }
        return model
    }

    /// Mean code length in bits of the samples `range` of `set` under the *fixed-point* model's
    /// own outputs (scale `2^(out₁/256)`, correction `out₀/256`): its estimate, to compare with the
    /// float model's and with the real coded size.
    public static func meanBits(_ model: ImagePriorModel, _ set: TrainingSet, _ range: Range<Int>) -> Double {
        var evaluator = ImagePriorModel.Evaluator(model)
        let n = PriorFeatures.count
        var total = 0.0
        for k in range {
            for f in 0..<n { evaluator.features[f] = Int32(set.features[k * n + f]) }
            let (c, s) = evaluator.evaluate()
            total += Double(LogisticLoss.bits(value: set.values[k], mean: set.means[k], delta: Float(c) / 256,
                                              log2Scale: Float(s) / 256).bits)
        }
        return range.isEmpty ? 0 : total / Double(range.count)
    }
}
