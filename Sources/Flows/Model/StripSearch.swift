/// How hard the encoder looks for the smallest coding of a strip (`StripCoding`: prior, colour
/// stage, order). Encoder-side only: every choice is recorded in the strip's header, so the decoder
/// reads the output of any search. Strips below `StripSample().minimumPixels` (2^17) are always
/// searched exhaustively: coding them several ways is cheap, and the result matches earlier builds.
public enum ImageSearch: Sendable, Equatable {
    /// The hand-made prior only: the colour stage chosen on a sample of the strip (`StripSample`),
    /// then the interlaced coding and, unless the sample rules it out, the raster coding in full, the
    /// smaller kept. A third to a seventh of the exhaustive search's CPU time; the learned prior it
    /// skips saved 0.1-2.4 % on the train/validation images where it won.
    case fast
    /// As `fast`, then the learned prior (with and without its translation correction) on the
    /// sample; the better one is coded in full only where the sample predicts it beats the hand-made
    /// coding.
    case sampled
    /// Codes every candidate in full and keeps the smallest: up to eight codings of a JPEG-looking
    /// colour strip with a model.
    case exhaustive
}

/// One way to code a strip: the prior, the colour stage and the coding order. The candidates of the
/// strip search; each one is a complete, self-describing stream.
struct StripCoding: Hashable, CustomStringConvertible {
    enum Prior: Hashable { case handMade, learned, learnedContextsOnly }
    var prior: Prior
    /// `JPEGColourLifting` instead of YCoCg-R (header flag bit 5).
    var jpegColour: Bool
    /// Raster order (payload version 5; hand-made prior only) instead of the interlaced flow.
    var raster: Bool
    /// With `raster`: the colour stage instead of YCoCg-R (header flag bit 6).
    var rasterColour: RasterColourTransform? = nil

    var description: String {
        "\(prior)\(jpegColour ? "+jpeg" : "")\(raster ? "+raster" : "")\(rasterColour.map { "+\($0)" } ?? "")"
    }
}

extension ImageFlowCodec {
    /// Raster order is skipped where its sample coding is this much (in 1/1024) bigger than the
    /// interlaced one. Train/validation images, sample/full size ratio raster:interlaced: 1.07/1.09,
    /// 1.16/1.53, 3.07/3.10 where raster lost clearly; the one reversal was 1.011/0.981 (chelsea).
    static let rasterSkipMarginPer1024 = 31

    /// A strip search gives up (`ImageFlowOptions.competitor`) where its sample predicts a flow coding
    /// this much (in 1/1024) bigger than the generic one. On screenshots the sample misjudges the flow by
    /// up to 1.75× either way (its tiles miss the repeats the copy component finds): on 42 train and
    /// validation images, a margin of 1.5 gave up on 14, each of which the generic coding won, and
    /// kept every image the flow won (the closest: a sample 1.38× the generic size, the flow 0.94×).
    static let giveUpMarginPer1024 = 512

    /// Whether the flow's `flow` bytes exceed the generic coding's `generic` by the give-up margin.
    static func exceeds(_ flow: Int, _ generic: Int) -> Bool {
        flow > (generic > Int.max / 2048 ? Int.max : generic * (1024 + giveUpMarginPer1024) / 1024)
    }

    /// The network model of a learned raster stream (nil for any other coding).
    static func learnedNetwork(ofSingleStream stream: [UInt8]) -> UInt8? {
        do { return try ImageStreamHeader.parse(stream, maxSamples: Int.max).0.learnedRaster?.model } catch { return nil }
    }

    /// `part` coded as `coding`.
    static func encode(_ part: PixelImage, as coding: StripCoding, options: ImageFlowOptions,
                       model: ImagePriorModel?) throws(FlowsError) -> [UInt8] {
        if coding.raster {
            return try encodeRaster(part, options: options, jpegColour: coding.jpegColour, rasterColour: coding.rasterColour)
        }
        var interlaced = options
        interlaced.rasterChoice = false
        return try encodeSingle(part, options: interlaced, model: coding.prior == .handMade ? nil : model,
                                learnedCorrection: coding.prior != .learnedContextsOnly, jpegColour: coding.jpegColour)
    }

    /// Whether `part` may use `JPEGColourLifting` (it looks JPEG-decoded).
    static func jpegColourApplies(_ part: PixelImage, options: ImageFlowOptions) -> Bool {
        options.jpegColour && options.colourLifting && part.bitDepth == 8 && part.channels >= 3
            && JPEGColourLifting.matchedPer1024(part.planes) >= jpegColourMatchPer1024
    }

    /// The `fast` and `sampled` searches (see `ImageSearch`); nil when the strip is too small to
    /// sample, for the caller's exhaustive search. `always` (the learned prior on every strip) has
    /// no hand-made coding to compare with, so it codes the learned prior with the sample's colour stage.
    static func encodeSearching(_ part: PixelImage, options: ImageFlowOptions, model: ImagePriorModel?,
                                always: Bool, sampling: StripSample = .init()) throws(FlowsError) -> [UInt8]? {
        guard let sample = try sampling.mosaic(of: part) else { return nil }
        let learned = model != nil && part.bitDepth == 8
        let base: StripCoding.Prior = always && learned ? .learned : .handMade
        // The sample's streams scaled to the strip: header (which hardly depends on the size) plus
        // the rANS words times the ratio of pixels.
        let ratio = (part.width * part.height, sample.width * sample.height)
        var sampled = [StripCoding: SampledSize]()
        func onSample(_ coding: StripCoding) throws(FlowsError) -> SampledSize {
            if let known = sampled[coding] { return known }
            let coded = try encode(sample, as: coding, options: options, model: model)
            let header = headerLength(ofSingleStream: coded) ?? 0
            let network = learnedNetwork(ofSingleStream: coded)
            sampled[coding] = SampledSize(header: header, payload: (coded.count - header) * ratio.0 / ratio.1, network: network)
            return sampled[coding]!
        }

        // Colour stage: JPEG colour wins by 15-20 % on JPEG-decoded photos, and the sample sees it.
        var jpegColour = false
        if jpegColourApplies(part, options: options) {
            let plain = try onSample(.init(prior: base, jpegColour: false, raster: false))
            let jpeg = try onSample(.init(prior: base, jpegColour: true, raster: false))
            jpegColour = jpeg.total < plain.total
        }
        let interlaced = StripCoding(prior: base, jpegColour: jpegColour, raster: false)
        // Order: the sample judges it one way only. Its tiles are too small for the interlaced
        // hierarchy's coarse levels, which win on smooth photos, so it mostly favours raster order:
        // where the interlaced coding wins clearly even there, raster order is not tried in full;
        // else both run, the smaller kept. Raster order is ruled out only where the sample codes it
        // clearly bigger in every colour stage. The stages differ by about 1 %, too little for the
        // sample to rank them reliably (its pick lost 0.08 % on astronaut.ppm), so both are coded in
        // full, the smaller kept; the sample picks the learned coding's network.
        var raster: SampledSize? = nil
        if base == .handMade && options.rasterChoice {
            for colour in rasterColourCandidates(part, options: options, jpegColour: jpegColour) {
                let s = try onSample(StripCoding(prior: .handMade, jpegColour: jpegColour, raster: true, rasterColour: colour))
                if s.total < raster?.total ?? Int.max { raster = s }
            }
        }
        if let competitor = options.competitor, let generic = competitor.stripSize() {
            // The flow's best on the sample against the generic coding of the whole strip, and (giving up
            // drops the whole image) scaled to the image against the whole image's: a strip the flow
            // loses matters only if it would lose the image.
            let flow = min(try onSample(interlaced).total, raster?.total ?? Int.max)
            if exceeds(flow, generic) {
                let image = competitor.imageSize()
                let rows = competitor.rows?.count ?? part.height
                let (scaled, overflow) = flow.multipliedReportingOverflow(by: competitor.height)
                if overflow || exceeds(scaled / max(1, rows), image) {
                    throw FlowsError.unsupported("the flow's sample predicts \(flow) bytes, a generic coding \(generic)")
                }
            }
        }
        let interlacedStream = try encode(part, as: interlaced, options: options, model: model)
        var best = interlacedStream
        if let raster, raster.total * 1024 < (try onSample(interlaced)).total * (1024 + rasterSkipMarginPer1024) {
            let networks = raster.network.map { [$0] } ?? options.rasterNetworks
            let coded = try encodeRasterChoosingColour(part, options: options, jpegColour: jpegColour, networks: networks)
            if options.writtenSize(coded) < options.writtenSize(best) { best = coded }
        }
        guard options.search == .sampled, learned, base == .handMade else { return best }

        // Learned prior: its gain over the hand-made prior on the sample, applied to the full coding.
        let hand = try onSample(interlaced)
        let handPayload = interlacedStream.count - (headerLength(ofSingleStream: interlacedStream) ?? 0)
        var pick: (coding: StripCoding, predicted: Int)? = nil
        for prior in [StripCoding.Prior.learned, .learnedContextsOnly] {
            let coding = StripCoding(prior: prior, jpegColour: jpegColour, raster: false)
            let s = try onSample(coding)
            let predicted = s.header + handPayload * s.payload / max(1, hand.payload)
            if predicted < (pick?.predicted ?? best.count) { pick = (coding, predicted) }
        }
        guard let pick else { return best }
        let coded = try encode(part, as: pick.coding, options: options, model: model)
        return options.writtenSize(coded) < options.writtenSize(best) ? coded : best
    }
}

/// A candidate's size on the sample, scaled to the strip: the header (which hardly depends on the
/// size) plus the rANS words times the ratio of pixels; and the network a learned raster coding used.
struct SampledSize {
    var header: Int, payload: Int
    var network: UInt8?
    var total: Int { header + payload }
}

/// What a strip search codes its candidates on: `T × T` tiles (`tileSide`) on an even lattice over
/// the strip, about `1 / fraction` of it (at least 2 × 2 tiles), assembled in the same lattice into
/// one image. Square tiles keep the interlaced flow's hierarchy deep; thin row bands did not, and
/// made the sample favour raster order on photos where the interlaced flow won by 7 %. Tiles of 64
/// were too small on a smooth JPEG-decoded photo (YellowFlower): there the sample rejected JPEG
/// colour, which saves 35 % on the strip; tiles of 128 and 256 ranked it right.
struct StripSample {
    var tileSide = 128
    var fraction = 8
    /// Strips with fewer pixels are not sampled: coding them several ways is cheap, and the
    /// sample would be most of the strip.
    var minimumPixels = 1 << 17
    /// Tile origins are multiples of this (a JPEG MCU with 4:2:0 chroma).
    static let alignment = 16

    /// The sample of `image`, or nil if it is too small to sample.
    func mosaic(of image: PixelImage) throws(FlowsError) -> PixelImage? {
        let (w, h, t) = (image.width, image.height, tileSide)
        guard w * h >= minimumPixels, w >= 2 * t, h >= 2 * t else { return nil }
        let tiles = max(4, w * h / (fraction * t * t))
        // A lattice of the strip's shape, at least 2 × 2 tiles: round(√(tiles · w / h)) columns, in
        // integers (no floating point in this module).
        var root = 1
        while (2 * root + 1) * (2 * root + 1) * h <= 4 * tiles * w { root += 1 }
        let columns = min(w / t, max(2, root))
        let rows = min(h / t, max(2, (tiles + columns - 1) / columns))
        // Tile origins: about centred in `count` equal cells along a side of `length`, at multiples of
        // `alignment`, so that each tile meets the squeeze grid and a JPEG decoder's 8 × 8 blocks and
        // 2 × 2 chroma samples as the strip does (unaligned tiles made a JPEG-decoded photo's sample
        // reject JPEG colour, which saved 35 % on the strip).
        let a = Self.alignment
        func origins(_ count: Int, _ length: Int) -> [Int] {
            (0..<count).map { min(max(0, (2 * $0 + 1) * length / (2 * count) - t / 2) / a * a, (length - t) / a * a) }
        }
        let (xs, ys) = (origins(columns, w), origins(rows, h))
        let planes = image.planes.map { plane in
            var samples = [Int32](repeating: 0, count: columns * t * rows * t)
            for (r, y0) in ys.enumerated() {
                for (c, x0) in xs.enumerated() {
                    for y in 0..<t {
                        let from = (y0 + y) * w + x0, to = (r * t + y) * columns * t + c * t
                        for x in 0..<t { samples[to + x] = plane.samples[from + x] }
                    }
                }
            }
            return Plane(width: columns * t, height: rows * t, samples: samples)
        }
        return try PixelImage(width: columns * t, height: rows * t, bitDepth: image.bitDepth, planes: planes)
    }
}

