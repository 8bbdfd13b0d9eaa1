/// The learned prior of the image flow (issue 6): a small fixed-point network that maps a
/// latent's `PriorFeatures` to
/// - output 0: a correction of the coupling's translation, in Q8 (clamped to ±`maxCorrectionQ8`);
/// - output 1: `log2` of the discretized logistic's scale, in Q8.
///
/// The codec uses the scale through the stream's per-file scale table: the predicted log-scale,
/// on a half-octave grid, *replaces the hand-made activity context* (`context(log2ScaleQ8:)`), and
/// the encoder still fits one scale per (group, context) and sends it. So the network ranks the
/// latents by uncertainty, and per-file adaptation corrects its calibration on each image.
/// Integer arithmetic only: identical at encode and decode on every machine.
public struct ImagePriorModel: Sendable, Equatable {
    /// The network: `PriorFeatures.count` inputs, 2 outputs.
    public let network: FixedPointNetwork
    /// Largest correction of the translation, in Q8 (4 pixels).
    public static let maxCorrectionQ8: Int32 = 1024
    /// Context of the scale `2^(-contextOffset / 2)`: the grid starts at a quarter of a pixel.
    public static let contextOffset: Int32 = 4

    /// Fails if the network does not take `PriorFeatures.count` inputs and give 2 outputs.
    public init?(network: FixedPointNetwork) {
        guard network.inputs == PriorFeatures.count, network.outputs == 2 else { return nil }
        self.network = network
    }

    /// The model id: a 64-bit hash of the model file (`ModelFile`), never 0.
    public var id: UInt64 { ModelFile.id(of: self) }

    /// Half-octave context of a predicted scale: `round(2 · log2 s) + contextOffset`, clamped to
    /// the flow's `InterlacedPredictor.contextCount` contexts.
    @inline(__always)
    public static func context(log2ScaleQ8: Int32) -> UInt8 {
        let c = ((log2ScaleQ8 &* 2 &+ 128) >> 8) &+ contextOffset
        return UInt8(min(max(c, 0), Int32(InterlacedPredictor.contextCount - 1)))
    }

    /// Evaluates the network once per latent without allocating; the same integers as
    /// `FixedPointNetwork.forward` (a test checks it), arranged for speed: rows padded to a multiple
    /// of 8 inputs, the activation as a separate loop over the outputs. (Int16 activations between
    /// layers, which would vectorise as `pmaddwd`, were measured: no faster here, and saturating
    /// them cost 1.4-20 % in bits.)
    public struct Evaluator {
        struct Layer {
            let paddedInputs: Int, outputs: Int, shift: Int32
            /// 0 for identity, 1 for ReLU, 2 for leaky ReLU by `leak`.
            let kind: Int, leak: Int32
            /// `weights[j * paddedInputs + i]` multiplies input i into output j (0 past the inputs).
            let weights: [Int16], biases: [Int32]
        }
        let layers: [Layer]
        /// The feature vector; write it with `PriorFeatures.write` before `evaluate()`.
        public var features: [Int32]
        var activations: [Int32]
        var accumulators: [Int32]
        let stride: Int

        static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

        /// Buffers and rearranged weights for `model`.
        public init(_ model: ImagePriorModel) {
            layers = model.network.layers.map { l in
                let n = Self.padded(l.inputs)
                var w = [Int16](repeating: 0, count: n * l.outputs)
                for j in 0..<l.outputs { for i in 0..<l.inputs { w[j * n + i] = l.weights[j * l.inputs + i] } }
                let (kind, leak): (Int, Int32)
                switch l.activation {
                case .none: (kind, leak) = (0, 0)
                case .relu: (kind, leak) = (1, 0)
                case .leakyRelu(let k): (kind, leak) = (2, k)
                }
                return Layer(paddedInputs: n, outputs: l.outputs, shift: l.shift, kind: kind, leak: leak,
                             weights: w, biases: l.biases)
            }
            features = [Int32](repeating: 0, count: PriorFeatures.count)
            stride = Self.padded(max(PriorFeatures.count, layers.map(\.outputs).max() ?? 0))
            activations = [Int32](repeating: 0, count: 2 * stride)
            accumulators = [Int32](repeating: 0, count: stride)
        }

        /// Runs the network on `features`: (correction Q8, log2 scale Q8).
        @inline(__always)
        public mutating func evaluate() -> (correctionQ8: Int32, log2ScaleQ8: Int32) {
            let layers = self.layers, stride = self.stride
            let out = features.withUnsafeBufferPointer { f in
                accumulators.withUnsafeMutableBufferPointer { accBuffer in
                    activations.withUnsafeMutableBufferPointer { a -> (Int32, Int32) in
                        let acc = accBuffer.baseAddress!
                        for k in 0..<stride { a[k] = k < f.count ? f[k] : 0 }
                        var x = a.baseAddress!, y = a.baseAddress! + stride
                        for layer in layers {
                            let m = layer.outputs, n = layer.paddedInputs
                            layer.weights.withUnsafeBufferPointer { w in
                                layer.biases.withUnsafeBufferPointer { b in
                                    for j in 0..<m {
                                        let row = w.baseAddress! + j * n
                                        var sum: Int32 = 0
                                        for i in 0..<n { sum = sum &+ Int32(row[i]) &* x[i] }
                                        acc[j] = b[j] &+ sum
                                    }
                                }
                            }
                            let shift = layer.shift, leak = layer.leak
                            for j in 0..<m { acc[j] >>= shift }
                            if layer.kind == 1 { for j in 0..<m { acc[j] = max(0, acc[j]) } }
                            if layer.kind == 2 { for j in 0..<m where acc[j] < 0 { acc[j] >>= leak } }
                            for j in 0..<stride { y[j] = j < m ? acc[j] : 0 }
                            swap(&x, &y)
                        }
                        return (acc[0], acc[1])
                    }
                }
            }
            return (min(max(out.0, -ImagePriorModel.maxCorrectionQ8), ImagePriorModel.maxCorrectionQ8), out.1)
        }
    }
}
