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

    /// Reusable buffers for evaluating the network once per latent without allocating.
    public struct Evaluator {
        let model: ImagePriorModel
        /// The feature vector; write it with `PriorFeatures.write` before `evaluate()`.
        public var features: [Int32]
        var buffers: [[Int32]]

        public init(_ model: ImagePriorModel) {
            self.model = model
            features = [Int32](repeating: 0, count: PriorFeatures.count)
            buffers = model.network.layers.map { [Int32](repeating: 0, count: $0.outputs) }
        }

        /// Runs the network on `features`: (correction Q8, log2 scale Q8).
        public mutating func evaluate() -> (correctionQ8: Int32, log2ScaleQ8: Int32) {
            let layers = model.network.layers
            features.withUnsafeBufferPointer { x in
                buffers[0].withUnsafeMutableBufferPointer { layers[0].apply(x, into: $0) }
            }
            for l in 1..<layers.count {
                let input = buffers[l - 1]
                input.withUnsafeBufferPointer { x in
                    buffers[l].withUnsafeMutableBufferPointer { layers[l].apply(x, into: $0) }
                }
            }
            let out = buffers[layers.count - 1]
            return (min(max(out[0], -ImagePriorModel.maxCorrectionQ8), ImagePriorModel.maxCorrectionQ8), out[1])
        }
    }
}
