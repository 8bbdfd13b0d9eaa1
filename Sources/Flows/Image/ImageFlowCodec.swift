import EntropyCoding

/// Choices of the image flow codec that the stream records (decoding needs no options).
public struct ImageFlowOptions: Sendable, Equatable {
    /// YCoCg-R colour lifting for images with 3 or 4 channels.
    public var colourLifting: Bool
    /// Channels after the first see the first channel's decoded values (edges, residuals).
    public var channelConditioning: Bool
    /// Histogram compaction (`ValueCompaction`) of channels that use few of their values, where
    /// the value set pays for itself.
    public var valueCompaction: Bool

    /// Images with more pixels are split into horizontal strips of about this many pixels, coded
    /// independently: the encoder needs about 30 bytes per sample of the strip it works on.
    public var stripPixels: Int
    /// Also code each strip in raster order (payload version 5, `RasterCoder`) and keep whichever
    /// is smaller (strips with the learned prior are always interlaced). Doubles the encoding work.
    public var rasterChoice: Bool
    /// Also code 8-bit colour strips that look JPEG-decoded (at least `jpegColourMatchPer1024` of
    /// their pixels fit libjpeg's colour tables) with `JPEGColourLifting` instead of YCoCg-R, and
    /// keep whichever is smaller (flag bit 5). Doubles the encoding work on those strips only.
    public var jpegColour: Bool
    /// How `encodeChoosingPrior` and `encode(interleaved:…)` choose among the candidate codings of a
    /// strip (prior, colour stage, order): every candidate in full (the default here; FlowZip's default
    /// level uses `.fast`), or with the help of a sample of the strip (`ImageSearch`).
    public var search: ImageSearch
    /// What that choice compares for an image coded as one stream (`WrittenSize`; encoder-side only).
    public var writtenSize: WrittenSize
    /// The raster coding also tries the learned conditioner (payload version 6, `LearnedRasterCoder`)
    /// and keeps it where it is smaller. About triples the raster coding's encoding work.
    public var learnedRaster: Bool
    /// The networks the learned raster coding tries (`RasterNetwork.model`), the smallest stream kept:
    /// at the fast search those that decode fast, at the others model 4 too (`RasterNetwork.fastModels`,
    /// `slowModels`).
    public var rasterNetworks: [UInt8] { search == .fast ? RasterNetwork.fastModels : RasterNetwork.slowModels }
    /// What the strip searches must beat (`GenericCompetitor`): a strip whose sample codes bigger gives
    /// up with `FlowsError.unsupported`, and the caller codes the image another way. Nil: never give up.
    public var competitor: GenericCompetitor? = nil

    public init(colourLifting: Bool = true, channelConditioning: Bool = true, valueCompaction: Bool = true,
                stripPixels: Int = 1 << 20, rasterChoice: Bool = true,
                jpegColour: Bool = true, search: ImageSearch = .exhaustive, writtenSize: WrittenSize = .streamBytes,
                learnedRaster: Bool = true) {
        self.learnedRaster = learnedRaster
        self.search = search
        self.writtenSize = writtenSize
        self.jpegColour = jpegColour
        self.rasterChoice = rasterChoice
        self.colourLifting = colourLifting
        self.channelConditioning = channelConditioning
        self.valueCompaction = valueCompaction
        self.stripPixels = stripPixels
    }
}

/// Lossless image compression with a fixed integer flow (docs/DESIGN.md §5), per strip:
/// histogram compaction where it pays → YCoCg-R lifting → squeeze levels with interlaced additive
/// couplings (`InterlacedPredictor` candidates mixed by `AdaptiveBlend`, a per-band
/// `BandCorrection`, channel conditioning) → factor-out of every band under a discretized
/// logistic whose scale per activity context is fitted per file and sent in the header.
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
    /// Images above `options.stripPixels` pixels are coded as independent horizontal strips
    /// (`StripContainer`), which bounds the encoder's and decoder's memory.
    /// With a `model`, 8-bit images use the learned prior (`ImagePriorModel`), and decoding needs
    /// the same model; other depths ignore it. `learnedCorrection: false` uses the model's
    /// contexts but not its translation correction (the stream records the choice).
    public static func encode(_ image: PixelImage, options: ImageFlowOptions = .init(),
                              model: ImagePriorModel? = nil, learnedCorrection: Bool = true) throws(FlowsError) -> [UInt8] {
        try encodeInStrips(image, options: options) { strip, options throws(FlowsError) in
            try encodeSingle(strip, options: options, model: model, learnedCorrection: learnedCorrection)
        }
    }

    /// Codes `image` with `encodeStrip`: whole if it fits one strip of `options.stripPixels`, else strip
    /// by strip into a `StripContainer` (with `options.forStrips`).
    static func encodeInStrips(_ image: PixelImage, options: ImageFlowOptions,
                               _ encodeStrip: (PixelImage, ImageFlowOptions) throws(FlowsError) -> [UInt8]) throws(FlowsError) -> [UInt8] {
        let strips = options.stripRows(width: image.width, height: image.height)
        guard strips.count > 1 else { return try encodeStrip(image, options.forRows(0..<image.height, of: image.height)) }
        return StripContainer.serialize(try strips.map { rows throws(FlowsError) in
            try encodeStrip(image.rows(rows), options.forStrips.forRows(rows, of: image.height))
        })
    }

    /// The (features, latent) pairs of every subband latent of an 8-bit `image` (one strip), as
    /// `encode` without a model computes them: the training data of the learned prior.
    public static func priorSamples(of image: PixelImage, options: ImageFlowOptions = .init()) throws(FlowsError) -> PriorSampleSet {
        guard image.bitDepth == 8 else { throw FlowsError.unsupported("the learned prior is for 8-bit images") }
        let hook = LearnedPriorHook(model: nil, channels: image.channels, collecting: true)
        return try infer(image, options: options, hook: hook).resolver.learned.samples ?? PriorSampleSet()
    }

    /// Decompresses a stream made by `encode`. `maxSamples` bounds `width × height × channels`
    /// (pass the size you expect); a stream claiming more is rejected before any allocation.
    /// Every malformed stream throws a `FlowsError`. A stream coded with a learned prior needs
    /// the same `model` (the container names it by its id); without one it is rejected.
    public static func decode(_ stream: some Collection<UInt8>, maxSamples: Int,
                              model: ImagePriorModel? = nil) throws(FlowsError) -> PixelImage {
        let bytes = Array(stream)
        guard bytes.first == StripContainer.marker else { return try decodeSingle(bytes, maxSamples: maxSamples, model: model) }
        var budget = maxSamples
        var strips = [PixelImage]()
        for range in try StripContainer.parse(bytes) {
            let strip = try decodeSingle(Array(bytes[range]), maxSamples: budget, model: model)
            budget -= strip.width * strip.height * strip.channels
            guard strip.height > 0 else { throw FlowsError.corrupt("empty strip") }
            strips.append(strip)
        }
        return try PixelImage(stacking: strips)
    }

    /// A strip qualifies for `JPEGColourLifting` when this share (in 1/1024) of its pixels fit
    /// libjpeg's tables: JPEG-decoded photos measure above 1000, other photos about 250-400.
    static let jpegColourMatchPer1024 = 922

    /// One image as one flow stream (`ImageStreamHeader` + rANS stack): YCoCg-R, and for a strip
    /// that looks JPEG-decoded also `JPEGColourLifting`, whichever is smaller.
    static func encodeSingle(_ image: PixelImage, options: ImageFlowOptions, model: ImagePriorModel?,
                             learnedCorrection: Bool) throws(FlowsError) -> [UInt8] {
        let plain = try encodeSingle(image, options: options, model: model, learnedCorrection: learnedCorrection, jpegColour: false)
        guard jpegColourApplies(image, options: options) else { return plain }
        let jpeg = try encodeSingle(image, options: options, model: model, learnedCorrection: learnedCorrection, jpegColour: true)
        return options.writtenSize(jpeg) < options.writtenSize(plain) ? jpeg : plain
    }

    static func encodeSingle(_ image: PixelImage, options: ImageFlowOptions, model: ImagePriorModel?,
                                     learnedCorrection: Bool, jpegColour: Bool) throws(FlowsError) -> [UInt8] {
        let learned = image.bitDepth == 8 ? model : nil
        let hook = LearnedPriorHook(model: learned, channels: image.channels, correction: learnedCorrection)
        let (resolver, lifting, compactions) = try infer(image, options: options, hook: hook, jpegColour: jpegColour)
        let records = resolver.records

        // Per-file adaptation of the prior, then the latents onto the stack, last band first.
        let prior = ResidualPrior(bitDepth: image.bitDepth)
        let scales = ScaleFitter(prior: prior, groups: image.channels * ImageLayout.groupsPerChannel).fit(records)
        var stack = RansStack()
        prior.push(records, scales: scales, onto: &stack)
        let header = ImageStreamHeader(channels: image.channels, bitDepth: image.bitDepth, colourLifting: lifting,
                                       channelConditioning: options.channelConditioning, learnedPrior: learned != nil,
                                       learnedCorrection: learnedCorrection, jpegColour: jpegColour,
                                       neighbourContext: true,
                                       width: image.width, height: image.height, scales: scales,
                                       corrections: resolver.corrections, compactions: compactions)
        let interlaced = header.serialized() + stack.bytes
        guard options.rasterChoice && learned == nil else { return interlaced }
        let raster = try encodeRasterChoosingColour(image, options: options, jpegColour: jpegColour)
        return options.writtenSize(raster) < options.writtenSize(interlaced) ? raster : interlaced
    }

    /// The colour stages the raster coding of `image` may use: YCoCg-R (nil), plus each
    /// `RasterColourTransform` for colour images that are not coded with `JPEGColourLifting`.
    static func rasterColourCandidates(_ image: PixelImage, options: ImageFlowOptions, jpegColour: Bool) -> [RasterColourTransform?] {
        guard options.colourLifting, image.channels >= 3, !jpegColour else { return [nil] }
        return [nil] + RasterColourTransform.allCases
    }

    /// The smallest raster-order stream of `image` over its colour stages (`rasterColourCandidates`).
    /// The hand-made coding picks the colour stage; the learned one (three times the work) runs
    /// only on that stage, with each of `networks`.
    static func encodeRasterChoosingColour(_ image: PixelImage, options: ImageFlowOptions, jpegColour: Bool = false,
                                           networks: [UInt8]? = nil) throws(FlowsError) -> [UInt8] {
        var best: (stream: [UInt8], size: Int, colour: RasterColourTransform?)? = nil
        for colour in rasterColourCandidates(image, options: options, jpegColour: jpegColour) {
            let stream = try encodeRaster(image, options: options, jpegColour: jpegColour, rasterColour: colour, learned: false)
            let size = options.writtenSize(stream)
            if size < best?.size ?? Int.max { best = (stream, size, colour) }
        }
        guard options.learnedRaster else { return best!.stream }
        let learned = try encodeLearnedRaster(image, options: options, jpegColour: jpegColour, rasterColour: best!.colour,
                                              networks: networks)
        return options.writtenSize(learned) < best!.size ? learned : best!.stream
    }

    /// One image as one raster-order stream: payload version 5 (`RasterCoder` with bias
    /// cancellation), or version 6 (`LearnedRasterCoder`) where that is smaller and `learned`
    /// (by default `options.learnedRaster`). `rasterColour` replaces YCoCg-R (not with
    /// `jpegColour`; ignored without colour lifting).
    static func encodeRaster(_ image: PixelImage, options: ImageFlowOptions, jpegColour: Bool = false,
                             rasterColour: RasterColourTransform? = nil, learned useLearned: Bool? = nil) throws(FlowsError) -> [UInt8] {
        let (planes, header, shift) = try rasterPlanes(image, options: options, jpegColour: jpegColour, rasterColour: rasterColour)
        let records = RasterCoder.records(planes, channelConditioning: options.channelConditioning, activityShift: shift)
        let prior = ResidualPrior(bitDepth: image.bitDepth)
        var handMadeHeader = header
        handMadeHeader.scales = ScaleFitter(prior: prior, groups: image.channels).fit(records)
        var stack = RansStack()
        prior.push(records, scales: handMadeHeader.scales, onto: &stack)
        let handMade = handMadeHeader.serialized() + stack.bytes
        guard useLearned ?? options.learnedRaster else { return handMade }
        // Version 6, the learned conditioner, kept where it is smaller.
        let learned = try learnedRasterStream(planes, header: header, shift: shift, options: options)
        return options.writtenSize(learned) < options.writtenSize(handMade) ? learned : handMade
    }

    /// The version 6 stream of `image` alone (`LearnedRasterCoder`), with the colour stage as `encodeRaster`'s.
    static func encodeLearnedRaster(_ image: PixelImage, options: ImageFlowOptions, jpegColour: Bool = false,
                                    rasterColour: RasterColourTransform? = nil, networks: [UInt8]? = nil) throws(FlowsError) -> [UInt8] {
        let (planes, header, shift) = try rasterPlanes(image, options: options, jpegColour: jpegColour, rasterColour: rasterColour)
        return try learnedRasterStream(planes, header: header, shift: shift, options: options, networks: networks)
    }

    /// The planes a raster coding codes, its header without scales or side information, and the activity shift.
    private static func rasterPlanes(_ image: PixelImage, options: ImageFlowOptions, jpegColour: Bool,
                                     rasterColour: RasterColourTransform?) throws(FlowsError) -> (planes: [Plane], header: ImageStreamHeader, shift: Int32) {
        let colour = jpegColour ? nil : rasterColour
        let (planes, lifting, compactions) = try prepare(image, options: options, jpegColour: jpegColour, rasterColour: colour)
        let header = ImageStreamHeader(channels: image.channels, bitDepth: image.bitDepth, colourLifting: lifting,
                                       channelConditioning: options.channelConditioning, jpegColour: jpegColour, raster: true,
                                       biasCancellation: true, rasterColour: lifting ? colour : nil,
                                       width: image.width, height: image.height, scales: [],
                                       corrections: [], compactions: compactions)
        return (planes, header, activityShift(bitDepth: image.bitDepth, compactions: compactions))
    }

    /// The smallest of the version 6 streams with each of `networks` (by default `options.rasterNetworks`).
    private static func learnedRasterStream(_ planes: [Plane], header: ImageStreamHeader, shift: Int32,
                                            options: ImageFlowOptions, networks: [UInt8]? = nil) throws(FlowsError) -> [UInt8] {
        let networks = networks ?? options.rasterNetworks
        precondition(!networks.isEmpty, "no network to code with")
        var best: [UInt8]? = nil
        for model in networks {
            let (side, stack) = try LearnedRasterCoder.encode(planes, model: model, shift: shift,
                                                              prior: ResidualPrior(bitDepth: header.bitDepth))
            var learnedHeader = header
            learnedHeader.learnedRaster = side
            let stream = learnedHeader.serialized() + stack.bytes
            if best == nil || options.writtenSize(stream) < options.writtenSize(best!) { best = stream }
        }
        return best!
    }

    /// Inference through the flow: compaction, lifting, and the walk that records every band.
    static func infer(_ image: PixelImage, options: ImageFlowOptions, hook: LearnedPriorHook, jpegColour: Bool = false)
        throws(FlowsError) -> (resolver: EncodingResolver, lifting: Bool, compactions: [ValueCompaction?]) {
        let (planes, lifting, compactions) = try prepare(image, options: options, jpegColour: jpegColour)
        let layout = ImageLayout(width: image.width, height: image.height)
        let flow = InterlacedFlow(layout: layout, channels: image.channels,
                                  channelConditioning: options.channelConditioning,
                                  activityShift: activityShift(bitDepth: image.bitDepth, compactions: compactions))

        // Inference: walk the flow in decode order, recording every factored-out residual band.
        var resolver = EncodingResolver(planes: planes, layout: layout, activityShift: flow.activityShift, learned: hook)
        _ = try flow.run(&resolver)
        return (resolver, lifting, compactions)
    }

    /// The planes the flow codes: samples checked against the depth, histogram compaction per
    /// channel where it pays, then the colour lifting (`JPEGColourLifting` with `jpegColour`, which
    /// needs the colour channels uncompacted).
    static func prepare(_ image: PixelImage, options: ImageFlowOptions, jpegColour: Bool = false,
                        rasterColour: RasterColourTransform? = nil) throws(FlowsError) -> (planes: [Plane], lifting: Bool, compactions: [ValueCompaction?]) {
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
            if options.valueCompaction && !(jpegColour && c < 3) && set.pays(forSamples: image.width * image.height) {
                compactions[c] = set
                planes[c] = try set.forward(planes[c])
            }
        }
        let lifting = options.colourLifting && image.channels >= 3
        if lifting {
            if let rasterColour { planes = try rasterColour.forward(planes) }
            else { planes = jpegColour ? try JPEGColourLifting.forward(planes) : try ColourLifting.forward(planes) }
        }
        return (planes, lifting, compactions)
    }

    /// Right shift that brings activities to an 8-bit scale: from the widest coded range, which
    /// is a compacted channel's value count or `2^bitDepth`.
    static func activityShift(bitDepth: Int, compactions: [ValueCompaction?]) -> Int32 {
        let widest = compactions.map { $0?.values.count ?? 1 << bitDepth }.max() ?? 1 << bitDepth
        let bits = Int.bitWidth - (widest - 1).leadingZeroBitCount
        return Int32(max(0, bits - 8))
    }

    /// Decodes one flow stream made by `encodeSingle`.
    static func decodeSingle(_ bytes: [UInt8], maxSamples: Int, model: ImagePriorModel?) throws(FlowsError) -> PixelImage {
        let (header, offset) = try ImageStreamHeader.parse(bytes, maxSamples: maxSamples)
        guard !header.learnedPrior || model != nil else {
            throw FlowsError.corrupt("the stream uses a learned prior but no model was given")
        }
        let stack: RansStack
        do { stack = try RansStack(bytes: bytes[offset...]) } catch {
            throw FlowsError.corrupt("rANS stack: \(error)")
        }
        var planes: [Plane]
        let shift = activityShift(bitDepth: header.bitDepth, compactions: header.compactions)
        if header.raster {
            var rasterStack = stack
            if let side = header.learnedRaster {
                planes = try LearnedRasterCoder.decode(&rasterStack, width: header.width, height: header.height, channels: header.channels,
                                                       side: side, shift: shift,
                                                       prior: ResidualPrior(bitDepth: header.bitDepth), valueLimit: 1 << 17)
            } else {
                planes = try RasterCoder.decode(&rasterStack, header: header, prior: ResidualPrior(bitDepth: header.bitDepth),
                                                activityShift: shift, valueLimit: 1 << 17)
            }
            guard rasterStack.isAtInitialState else { throw FlowsError.corrupt("data left over after the last latent") }
        } else {
            planes = try decodeInterlaced(header, stack: stack, model: model)
        }
        if header.colourLifting, let transform = header.rasterColour {
            planes = try transform.inverse(planes)
        } else if header.colourLifting {
            planes = header.jpegColour ? try JPEGColourLifting.inverse(planes) : try ColourLifting.inverse(planes)
        }
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

    /// The planes of an interlaced stream (versions 1 and 3): the flow run backwards.
    private static func decodeInterlaced(_ header: ImageStreamHeader, stack: RansStack, model: ImagePriorModel?) throws(FlowsError) -> [Plane] {
        header.neighbourContext ? try decodeInterlaced(NeighbourErrors.self, header, stack: stack, model: model)
            : try decodeInterlaced(NoNeighbourTerms.self, header, stack: stack, model: model)
    }

    /// `decodeInterlaced` for one payload version (its neighbour term), specialised.
    private static func decodeInterlaced<Neighbours: NeighbourTerms>(_: Neighbours.Type, _ header: ImageStreamHeader, stack: RansStack,
                                                                     model: ImagePriorModel?) throws(FlowsError) -> [Plane] {
        let layout = ImageLayout(width: header.width, height: header.height)
        let flow = InterlacedFlow(layout: layout, channels: header.channels,
                                  channelConditioning: header.channelConditioning,
                                  activityShift: activityShift(bitDepth: header.bitDepth, compactions: header.compactions))
        var resolver = DecodingResolver(stack: stack, prior: ResidualPrior(bitDepth: header.bitDepth),
                                        scales: header.scales, valueLimit: 1 << 17,
                                        activityShift: flow.activityShift, corrections: header.corrections,
                                        learned: LearnedPriorHook(model: header.learnedPrior ? model : nil, channels: header.channels,
                                                                  correction: header.learnedCorrection),
                                        neighbours: Neighbours(layout: layout, channels: header.channels))
        let planes = try flow.run(&resolver)
        guard resolver.stack.isAtInitialState else { throw FlowsError.corrupt("data left over after the last latent") }
        return planes
    }
}

extension ImageFlowCodec {
    /// Whether a stream made by `encode` was coded with a learned prior (header flag bit 3, in
    /// any strip), so that `decode` needs the model. False for anything malformed (decoding
    /// reports that).
    public static func usesLearnedPrior(_ stream: some Collection<UInt8>) -> Bool {
        let bytes = Array(stream)
        func flagged(_ b: ArraySlice<UInt8>) -> Bool { b.count >= 4 && b[b.startIndex + 3] & 8 != 0 }
        guard bytes.first == StripContainer.marker else { return flagged(bytes[...]) }
        guard let ranges = try? StripContainer.parse(bytes) else { return false }
        return ranges.contains { flagged(bytes[$0]) }
    }
}
