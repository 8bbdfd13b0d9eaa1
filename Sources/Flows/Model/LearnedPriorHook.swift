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
    var memory = ResidualMemory()

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
        let relatives = memory.visit(band, e, i)
        var scratch = [Int32](repeating: 0, count: evaluator == nil ? PriorFeatures.count : 0)
        if evaluator != nil {
            evaluator!.features.withUnsafeMutableBufferPointer {
                PriorFeatures.write(into: $0.baseAddress!, e: e, i, w, candidatesQ8: candidatesQ8, pQ8: pQ8,
                                    activity: activity, causal: causal, shift: shift, lead: lead, band: position,
                                    relatives: relatives)
            }
        } else {
            scratch.withUnsafeMutableBufferPointer {
                PriorFeatures.write(into: $0.baseAddress!, e: e, i, w, candidatesQ8: candidatesQ8, pQ8: pQ8,
                                    activity: activity, causal: causal, shift: shift, lead: lead, band: position,
                                    relatives: relatives)
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

/// The uncorrected residuals of every band visited so far, so a pixel's prior can see its parent
/// (same subband, one level coarser) and, in `b`/`c` bands, its `d` sibling. The memory copies
/// `e[i − 1]` at each visit, the only residual both encoder and decoder know at that moment, so a
/// band's last residual stays 0 in the memory on both sides.
struct ResidualMemory {
    struct Band { var width: Int, height: Int, e: [Int32] }
    private var bands: [Int: Band] = [:]
    private var currentKey = -1
    private var current = Band(width: 0, height: 0, e: [])

    static func key(_ channel: Int, _ level: Int, _ subband: Subband) -> Int { (channel * 64 + level) * 4 + subband.rawValue }

    mutating func visit(_ band: BandInfo, _ e: [Int32], _ i: Int) -> PriorFeatures.Relatives {
        guard let subband = band.subband else { return .init() }
        let key = Self.key(band.channel, band.level, subband)
        if key != currentKey {
            if currentKey >= 0 { bands[currentKey] = current }
            currentKey = key
            current = Band(width: band.width, height: band.height, e: [Int32](repeating: 0, count: band.width * band.height))
        }
        if i > 0 { current.e[i - 1] = e[i - 1] }
        let x = i % band.width, y = i / band.width
        var r = PriorFeatures.Relatives()
        if let p = bands[Self.key(band.channel, band.level + 1, subband)], p.width > 0, p.height > 0 {
            let px = min(x / 2, p.width - 1), py = min(y / 2, p.height - 1)
            let px1 = min(px + 1, p.width - 1), py1 = min(py + 1, p.height - 1)
            r.hasParent = true
            r.parent = p.e[py * p.width + px].magnitude32
            r.parentBlock = min(r.parent &+ p.e[py * p.width + px1].magnitude32 &+ p.e[py1 * p.width + px].magnitude32
                                &+ p.e[py1 * p.width + px1].magnitude32, 1 << 24)
            r.parent = min(r.parent, 1 << 24)
        }
        if subband != .d, let d = bands[Self.key(band.channel, band.level, .d)], d.width > 0, d.height > 0 {
            r.sibling = min(d.e[min(y, d.height - 1) * d.width + min(x, d.width - 1)].magnitude32, 1 << 24)
        }
        return r
    }
}
