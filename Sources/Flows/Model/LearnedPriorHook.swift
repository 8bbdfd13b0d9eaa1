/// The (feature vector, latent) pairs of an image, as the integer flow produces them: the data
/// the learned prior is trained on (`ImageFlowCodec.priorSamples`).
public struct PriorSampleSet: Sendable {
    /// `PriorFeatures.count` features per sample, concatenated.
    public var features: [Int32] = []
    /// The value the prior codes the residual of (the band value `x`).
    public var values: [Int32] = []
    /// The translation before the learned correction, Q8: the residual is `x − round(t)`.
    public var translationsQ8: [Int32] = []

    /// An empty set.
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

    /// Whether the model's translation correction is applied (else only its contexts).
    let correction: Bool

    init(model: ImagePriorModel?, channels: Int, collecting: Bool = false, correction: Bool = true) {
        self.correction = correction
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
        let (delta, log2Scale) = evaluator!.evaluate()
        return (correction ? pQ8 &+ delta : pQ8, ImagePriorModel.context(log2ScaleQ8: log2Scale))
    }
}

/// The uncorrected residuals of every band visited so far, so a pixel's prior can see its parent
/// (same subband, one level coarser) and, in `b`/`c` bands, its `d` sibling. The memory copies
/// `e[i − 1]` at each visit, the only residual both encoder and decoder know at that moment, so a
/// band's last residual stays 0 in the memory on both sides. The parent and sibling of the current
/// band are looked up once per band.
struct ResidualMemory {
    /// Bands by `key`: the residuals and the width.
    private var bands = [[Int32]](repeating: [], count: 4 * 16 * 4)
    private var widths = [Int](repeating: 0, count: 4 * 16 * 4)
    private var currentKey = -1
    private var current: [Int32] = []
    private var parent: [Int32] = [], parentWidth = 0, parentHeight = 0
    private var sibling: [Int32] = [], siblingWidth = 0, siblingHeight = 0

    static func key(_ channel: Int, _ level: Int, _ subband: Subband) -> Int { (channel * 16 + level) * 4 + subband.rawValue }

    private mutating func start(_ band: BandInfo, _ subband: Subband, key: Int) {
        if currentKey >= 0 { bands[currentKey] = current }
        currentKey = key
        current = [Int32](repeating: 0, count: band.width * band.height)
        widths[key] = band.width
        (parent, parentWidth, parentHeight) = ([], 0, 0)
        (sibling, siblingWidth, siblingHeight) = ([], 0, 0)
        if band.level + 1 < 16 {
            let k = Self.key(band.channel, band.level + 1, subband)
            if widths[k] > 0 { (parent, parentWidth, parentHeight) = (bands[k], widths[k], bands[k].count / widths[k]) }
        }
        if subband != .d {
            let k = Self.key(band.channel, band.level, .d)
            if widths[k] > 0 { (sibling, siblingWidth, siblingHeight) = (bands[k], widths[k], bands[k].count / widths[k]) }
        }
    }

    @inline(__always)
    mutating func visit(_ band: BandInfo, _ e: [Int32], _ i: Int) -> PriorFeatures.Relatives {
        guard let subband = band.subband, band.channel < 4, band.level < 16, band.width > 0 else { return .init() }
        let key = Self.key(band.channel, band.level, subband)
        if key != currentKey { start(band, subband, key: key) }
        if i > 0 { current[i - 1] = e[i - 1] }
        let x = i % band.width, y = i / band.width
        var r = PriorFeatures.Relatives()
        if parentHeight > 0 {
            let px = min(x / 2, parentWidth - 1), py = min(y / 2, parentHeight - 1)
            let px1 = min(px + 1, parentWidth - 1), py1 = min(py + 1, parentHeight - 1)
            let p = parent[py * parentWidth + px].magnitude32
            r.hasParent = true
            r.parent = min(p, 1 << 24)
            r.parentBlock = min(p &+ parent[py * parentWidth + px1].magnitude32 &+ parent[py1 * parentWidth + px].magnitude32
                                &+ parent[py1 * parentWidth + px1].magnitude32, 1 << 24)
        }
        if siblingHeight > 0 {
            r.sibling = min(sibling[min(y, siblingHeight - 1) * siblingWidth + min(x, siblingWidth - 1)].magnitude32, 1 << 24)
        }
        return r
    }
}
