/// The (feature vector, latent) pairs of an image, as the integer flow produces them: the data
/// the learned prior is trained on (`ImageFlowCodec.priorSamples`).
public struct PriorSampleSet: Sendable {
    /// `PriorFeatures.count` features per sample, concatenated.
    public var features: [Int32] = []
    /// The value the prior codes the residual of (the band value `x`).
    public var values: [Int32] = []
    /// The translation before the learned correction, Q8: the residual is `x − round(t)`.
    public var translationsQ8: [Int32] = []

    public init() {}

    /// Number of samples.
    public var count: Int { values.count }
}

/// Where the image flow's resolvers meet the learned prior: for a subband latent, computes the
/// features and, with a model, the corrected translation and the learned context; when
/// collecting, records the sample. One per resolver; the same calls at encode and decode.
struct LearnedPriorHook {
    var evaluator: ImagePriorModel.Evaluator?
    var samples: PriorSampleSet?
    let channels: Int

    init(model: ImagePriorModel?, channels: Int, collecting: Bool = false) {
        evaluator = model.map { ImagePriorModel.Evaluator($0) }
        samples = collecting ? PriorSampleSet() : nil
        self.channels = channels
    }

    /// True when `apply` has anything to do.
    var isActive: Bool { evaluator != nil || samples != nil }

    /// The translation (Q8) and context to code pixel `i` with, or nil to keep the hand-made ones.
    /// `value` is only recorded (encoder side, when collecting); the decoder passes 0.
    @inline(__always)
    mutating func apply(e: [Int32], _ i: Int, _ w: Int, candidatesQ8: [[Int32]], pQ8: Int32, activity: Int32,
                        shift: Int32, lead: [Int32]?, band: BandInfo, value: Int32) -> (Int32, UInt8)? {
        let position = PriorFeatures.BandPosition(level: band.level, isDiagonal: band.subband == .d,
                                                  channel: band.channel, channels: channels)
        let causal = InterlacedPredictor.causalEnergy(e, i, w)
        var scratch = [Int32](repeating: 0, count: evaluator == nil ? PriorFeatures.count : 0)
        if evaluator != nil {
            evaluator!.features.withUnsafeMutableBufferPointer {
                PriorFeatures.write(into: $0.baseAddress!, e: e, i, w, candidatesQ8: candidatesQ8, pQ8: pQ8,
                                    activity: activity, causal: causal, shift: shift, lead: lead, band: position)
            }
        } else {
            scratch.withUnsafeMutableBufferPointer {
                PriorFeatures.write(into: $0.baseAddress!, e: e, i, w, candidatesQ8: candidatesQ8, pQ8: pQ8,
                                    activity: activity, causal: causal, shift: shift, lead: lead, band: position)
            }
        }
        if samples != nil {
            samples!.features.append(contentsOf: evaluator?.features ?? scratch)
            samples!.values.append(value)
            samples!.translationsQ8.append(pQ8)
        }
        guard evaluator != nil else { return nil }
        let (correction, log2Scale) = evaluator!.evaluate()
        return (pQ8 &+ correction, ImagePriorModel.context(log2ScaleQ8: log2Scale))
    }
}
