import EntropyCoding

/// Choices of the image flow codec that the stream records (decoding needs no options).
public struct ImageFlowOptions: Sendable, Equatable {
    /// YCoCg-R colour lifting for images with 3 or 4 channels.
    public var colourLifting: Bool
    /// Channels after the first see the first channel's decoded values (edges, residuals).
    public var channelConditioning: Bool
    /// Histogram compaction (`ValueCompaction`) of channels that use few of their values, where
    /// the bitmap pays for itself.
    public var valueCompaction: Bool

    public init(colourLifting: Bool = true, channelConditioning: Bool = true, valueCompaction: Bool = true) {
        self.colourLifting = colourLifting
        self.channelConditioning = channelConditioning
        self.valueCompaction = valueCompaction
    }
}

/// Lossless image compression with a fixed integer flow (DESIGN §5, calibration):
/// histogram compaction where it pays → YCoCg-R lifting → interlaced hierarchical additive coupling with factor-out per level →
/// discretized-logistic priors whose scales are fitted per file and sent in the header.
///
/// Compress = inference: run the flow forward, push every latent onto an rANS stack in the reverse
/// of the order the decoder pops them. Decompress = sampling: pop and run the flow backwards.
/// Integer arithmetic only; the stream is described in `ImageStreamHeader`.
///
/// ```swift
/// let image = try PixelImage(interleaved: bytes, width: 64, height: 48, channels: 3, bitDepth: 8)
/// let stream = try ImageFlowCodec.encode(image)
/// let back = try ImageFlowCodec.decode(stream, maxSamples: 64 * 48 * 3)   // == image
/// ```
public enum ImageFlowCodec {
    /// Compresses `image`. Throws if a sample does not fit in `image.bitDepth` bits.
    /// With a `model`, 8-bit images use the learned prior (`ImagePriorModel`), and decoding needs
    /// the same model; other depths ignore it. `learnedCorrection: false` uses the model's
    /// contexts but not its translation correction (the stream records the choice).
    public static func encode(_ image: PixelImage, options: ImageFlowOptions = .init(),
                              model: ImagePriorModel? = nil, learnedCorrection: Bool = true) throws(FlowsError) -> [UInt8] {
        let learned = image.bitDepth == 8 ? model : nil
        let hook = LearnedPriorHook(model: learned, channels: image.channels, correction: learnedCorrection)
        let (resolver, lifting, compactions) = try infer(image, options: options, hook: hook)
        let records = resolver.records

        // Per-file adaptation of the prior, then the latents onto the stack, last band first.
        let prior = ResidualPrior(bitDepth: image.bitDepth)
        let scales = ScaleFitter(prior: prior, groups: image.channels * ImageLayout.groupsPerChannel).fit(records)
        var stack = RansStack()
        let k = InterlacedPredictor.contextCount
        for record in records.reversed() {
            for i in record.residuals.indices.reversed() {
                let index = Int(scales[record.group * k + Int(record.contexts[i])])
                prior.push(record.residuals[i], scaleIndex: index, meanQ8: Int32(record.meansQ8[i]), onto: &stack)
            }
        }
        let header = ImageStreamHeader(channels: image.channels, bitDepth: image.bitDepth, colourLifting: lifting,
                                       channelConditioning: options.channelConditioning, learnedPrior: learned != nil,
                                       learnedCorrection: learnedCorrection,
                                       width: image.width, height: image.height, scales: scales,
                                       corrections: resolver.corrections, compactions: compactions)
        return header.serialized() + stack.bytes
    }

    /// The (features, latent) pairs of every subband latent of an 8-bit `image`, as `encode`
    /// without a model computes them: the training data of the learned prior.
    public static func priorSamples(of image: PixelImage, options: ImageFlowOptions = .init()) throws(FlowsError) -> PriorSampleSet {
        guard image.bitDepth == 8 else { throw FlowsError.unsupported("the learned prior is for 8-bit images") }
        let hook = LearnedPriorHook(model: nil, channels: image.channels, collecting: true)
        return try infer(image, options: options, hook: hook).resolver.learned.samples ?? PriorSampleSet()
    }

    /// Inference through the flow: compaction, lifting, and the walk that records every band.
    private static func infer(_ image: PixelImage, options: ImageFlowOptions, hook: LearnedPriorHook)
        throws(FlowsError) -> (resolver: EncodingResolver, lifting: Bool, compactions: [ValueCompaction?]) {
        let maxSample = Int32(1) << Int32(image.bitDepth) - 1
        for plane in image.planes where plane.samples.contains(where: { $0 < 0 || $0 > maxSample }) {
            throw FlowsError.unsupported("a sample does not fit in \(image.bitDepth) bits")
        }
        guard image.width <= Int(UInt32.max), image.height <= Int(UInt32.max) else {
            throw FlowsError.unsupported("image dimensions above 2^32")
        }
        // Histogram compaction per channel where it pays, then the colour lifting.
        var planes = image.planes
        var compactions = [ValueCompaction?](repeating: nil, count: image.channels)
        for c in planes.indices {
            let set = ValueCompaction(usedIn: [planes[c]], range: Int(maxSample) + 1)
            if options.valueCompaction && set.pays(forSamples: image.width * image.height) {
                compactions[c] = set
                planes[c] = try set.forward(planes[c])
            }
        }
        let lifting = options.colourLifting && image.channels >= 3
        if lifting { planes = try ColourLifting.forward(planes) }
        let layout = ImageLayout(width: image.width, height: image.height)
        let flow = InterlacedFlow(layout: layout, channels: image.channels,
                                  channelConditioning: options.channelConditioning,
                                  activityShift: activityShift(bitDepth: image.bitDepth, compactions: compactions))

        // Inference: walk the flow in decode order, recording every factored-out residual band.
        var resolver = EncodingResolver(planes: planes, layout: layout, activityShift: flow.activityShift, learned: hook)
        _ = try flow.run(&resolver)
        return (resolver, lifting, compactions)
    }

    /// Right shift that brings activities to an 8-bit scale: from the widest coded range, which
    /// is a compacted channel's value count or `2^bitDepth`.
    static func activityShift(bitDepth: Int, compactions: [ValueCompaction?]) -> Int32 {
        let widest = compactions.map { $0?.values.count ?? 1 << bitDepth }.max() ?? 1 << bitDepth
        let bits = Int.bitWidth - (widest - 1).leadingZeroBitCount
        return Int32(max(0, bits - 8))
    }

    /// Decompresses a stream made by `encode`. `maxSamples` bounds `width × height × channels`
    /// (pass the size you expect); a stream claiming more is rejected before any allocation.
    /// Every malformed stream throws a `FlowsError`. A stream coded with a learned prior needs
    /// the same `model` (the container names it by its id); without one it is rejected.
    public static func decode(_ stream: some Collection<UInt8>, maxSamples: Int,
                              model: ImagePriorModel? = nil) throws(FlowsError) -> PixelImage {
        let bytes = Array(stream)
        let (header, offset) = try ImageStreamHeader.parse(bytes, maxSamples: maxSamples)
        guard !header.learnedPrior || model != nil else {
            throw FlowsError.corrupt("the stream uses a learned prior but no model was given")
        }
        let stack: RansStack
        do { stack = try RansStack(bytes: bytes[offset...]) } catch {
            throw FlowsError.corrupt("rANS stack: \(error)")
        }
        let layout = ImageLayout(width: header.width, height: header.height)
        let flow = InterlacedFlow(layout: layout, channels: header.channels,
                                  channelConditioning: header.channelConditioning,
                                  activityShift: activityShift(bitDepth: header.bitDepth, compactions: header.compactions))
        var resolver = DecodingResolver(stack: stack, prior: ResidualPrior(bitDepth: header.bitDepth),
                                        scales: header.scales, valueLimit: 1 << 17,
                                        activityShift: flow.activityShift, corrections: header.corrections,
                                        learned: LearnedPriorHook(model: header.learnedPrior ? model : nil, channels: header.channels,
                                                                 correction: header.learnedCorrection))
        var planes = try flow.run(&resolver)
        guard resolver.stack.isAtInitialState else { throw FlowsError.corrupt("data left over after the last latent") }
        if header.colourLifting { planes = try ColourLifting.inverse(planes) }
        let maxSample = Int32(1) << Int32(header.bitDepth) - 1
        for c in planes.indices {
            if let set = header.compactions[c] {
                planes[c] = try set.inverse(planes[c])
            } else if planes[c].samples.contains(where: { $0 < 0 || $0 > maxSample }) {
                throw FlowsError.corrupt("decoded sample outside \(header.bitDepth) bits")
            }
        }
        return try PixelImage(width: header.width, height: header.height, bitDepth: header.bitDepth, planes: planes)
    }
}

extension ImageFlowCodec {
    /// Whether a stream made by `encode` was coded with a learned prior (header flag bit 3), so
    /// that `decode` needs the model. False for anything too short to tell.
    public static func usesLearnedPrior(_ stream: some Collection<UInt8>) -> Bool {
        let head = Array(stream.prefix(4))
        return head.count == 4 && head[3] & 8 != 0
    }
}
