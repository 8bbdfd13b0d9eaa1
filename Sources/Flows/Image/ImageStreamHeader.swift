/// The header of a flow image stream (FORMAT: all integers little-endian):
///
/// ```
/// byte 0      format version: 1, or 3 = the prior context also adds the neighbours' residuals
///             (`NeighbourErrors`), or 4 = raster order (`RasterCoder`): channels × 20 scales and
///             no band corrections; the rest of the layout is the same; 5 = raster order with
///             the gradient sub-predictor and bias cancellation, laid out as 4. The encoder
///             writes 3, 5 and 6; 1 and 4 are decode-only (Sources/Flows/Legacy/); 6 = raster order
///             under the learned conditioner (`LearnedRasterCoder`): laid out as 5 up to the
///             compaction sets, then `LearnedRasterSide` instead of the scale table
/// byte 1      channels (1...4)
/// byte 2      bit depth (8 or 16)
/// byte 3      flags: bit 0 = YCoCg-R colour lifting (3+ channels only),
///                    bit 1 = channel conditioning, bit 2 = value compaction,
///                    bit 3 = learned prior (8-bit only: the model named by the container's model id
///                    corrects translations and picks contexts, `ImagePriorModel`),
///                    bit 4 = the learned prior picks contexts only, without its translation
///                    correction (only with bit 3),
///                    bit 5 = the colour stage is `JPEGColourLifting` instead of YCoCg-R (only
///                    with bit 0, 8-bit),
///                    bit 6 = the colour stage is a `RasterColourTransform` instead of YCoCg-R
///                    (only version 5, with bit 0, without bit 5); bit 7 must be 0
/// bytes 4-7   width  (UInt32)
/// bytes 8-11  height (UInt32)
/// if bit 6:   (versions 5 and 6) one byte, the `RasterColourTransform` (1 = subtract green; others are errors)
/// if bit 2:   one byte per channel (1 = compacted, 0 = not), then for each compacted channel
///             its `ValueCompaction` set (`serialized`: varint count, first value, gaps)
/// then        channels × 7 × 20 prior scale indices, one byte each (`ScaleGrid`; 255 = unused)
/// then        per band (channels × levels × 3, in decode order; `levels` follows from width and
///             height, `ImageLayout`) a `BandCorrection`: a mode byte (0 = interpolate,
///             1 = nearest pixel) and 4 weights, Int8 in Q6, within ±96
/// then        the rANS stack words (`RansStack.bytes`) to the end of the payload
/// ```
struct ImageStreamHeader: Equatable {
    static let version: UInt8 = 1
    /// Version 3: as 1, plus the neighbour-error term in the subbands' prior context. (2 marks a
    /// `StripContainer`, so single streams skip it.)
    static let neighbourVersion: UInt8 = 3
    /// Version 4: raster order (`RasterCoder`).
    static let rasterVersion: UInt8 = 4
    /// Version 5: raster order with `BiasCancellation` and the gradient sub-predictor.
    static let biasCancellationVersion: UInt8 = 5
    /// Version 6: raster order under the learned conditioner (`LearnedRasterCoder`).
    static let learnedRasterVersion: UInt8 = 6
    static let unusedScale: UInt8 = 255
    static let fixedBytes = 12

    var channels: Int
    var bitDepth: Int
    var colourLifting: Bool
    var channelConditioning: Bool
    /// The subbands use the learned prior (`ImagePriorModel`).
    var learnedPrior: Bool = false
    /// With `learnedPrior`: whether its translation correction is applied (flag bit 4 clear).
    var learnedCorrection: Bool = true
    /// Flag bit 5: the colour stage is `JPEGColourLifting` (with `colourLifting`).
    var jpegColour: Bool = false
    /// Version 3: the prior context adds `NeighbourErrors`' term.
    var neighbourContext: Bool = false
    /// Version 4: the planes in raster order; `scales` then has one entry per (channel, context).
    var raster: Bool = false
    /// Version 5 (with `raster`): `RasterCoder`'s bias cancellation and gradient sub-predictor.
    var biasCancellation: Bool = false
    /// Flag bit 6 (version 5, with `colourLifting`): the colour stage instead of YCoCg-R.
    var rasterColour: RasterColourTransform? = nil
    var width: Int
    var height: Int
    /// `channels × ImageLayout.groupsPerChannel × InterlacedPredictor.contextCount` indices.
    var scales: [UInt8]
    /// One per subband band, in decode order.
    var corrections: [BandCorrection]
    /// One per channel: the histogram compaction applied before the flow, if any.
    var compactions: [ValueCompaction?]
    /// Version 6 (with `raster`): the learned conditioner's side information; `scales` is then empty.
    var learnedRaster: LearnedRasterSide? = nil

    static func scaleCount(channels: Int, raster: Bool = false) -> Int {
        channels * (raster ? 1 : ImageLayout.groupsPerChannel) * InterlacedPredictor.contextCount
    }

    func serialized() -> [UInt8] {
        let compacted = compactions.contains { $0 != nil }
        // Only the current versions are written: 1 and 4 are decode-only.
        precondition(raster ? biasCancellation : neighbourContext, "payload versions 1 and 4 are decode-only")
        let version = learnedRaster != nil ? Self.learnedRasterVersion : raster ? Self.biasCancellationVersion : Self.neighbourVersion
        var out: [UInt8] = [version, UInt8(channels), UInt8(bitDepth),
                            (colourLifting ? 1 : 0) | (channelConditioning ? 2 : 0) | (compacted ? 4 : 0) | (learnedPrior ? 8 : 0)
                            | (learnedPrior && !learnedCorrection ? 16 : 0) | (colourLifting && jpegColour ? 32 : 0)
                            | (rasterColour != nil ? 64 : 0)]
        for v in [UInt32(width), UInt32(height)] { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        if let rasterColour { out.append(rasterColour.rawValue) }
        if compacted {
            out.append(contentsOf: compactions.map { $0 == nil ? 0 : 1 })
            for c in compactions { if let c { out.append(contentsOf: c.serialized) } }
        }
        if let learnedRaster { out += learnedRaster.serialized() } else { out.append(contentsOf: scales) }
        for c in corrections {
            out.append(c.nearest ? 1 : 0)
            out.append(contentsOf: c.weights.map { UInt8(bitPattern: $0) })
        }
        return out
    }

    /// Parses and validates the header; returns it and the offset of the rANS bytes.
    /// `maxSamples` bounds `width × height × channels` (the caller's expected size) so a hostile
    /// header cannot request a huge allocation.
    static func parse(_ p: [UInt8], maxSamples: Int) throws(FlowsError) -> (ImageStreamHeader, Int) {
        guard p.count >= fixedBytes else { throw FlowsError.truncated("header needs \(fixedBytes) bytes, have \(p.count)") }
        guard [version, neighbourVersion, rasterVersion, biasCancellationVersion, learnedRasterVersion].contains(p[0]) else { throw FlowsError.corrupt("unknown flow stream version \(p[0])") }
        let channels = Int(p[1]), bitDepth = Int(p[2]), flags = p[3]
        guard (1...4).contains(channels) else { throw FlowsError.corrupt("channel count \(channels)") }
        guard bitDepth == 8 || bitDepth == 16 else { throw FlowsError.corrupt("bit depth \(bitDepth)") }
        let learned = p[0] == learnedRasterVersion
        let raster = p[0] == rasterVersion || p[0] == biasCancellationVersion || learned
        guard flags & ~127 == 0, flags & 64 == 0 || ((p[0] == biasCancellationVersion || learned) && flags & 1 != 0 && flags & 32 == 0), flags & 32 == 0 || (flags & 1 != 0 && bitDepth == 8), flags & 1 == 0 || channels >= 3, flags & 8 == 0 || bitDepth == 8, flags & 8 == 0 || !raster,
              flags & 16 == 0 || flags & 8 != 0 else { throw FlowsError.corrupt("flags \(flags)") }
        func u32(_ o: Int) -> Int { Int(p[o]) | Int(p[o + 1]) << 8 | Int(p[o + 2]) << 16 | Int(p[o + 3]) << 24 }
        let width = u32(4), height = u32(8)
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (n, o2) = pixels.multipliedReportingOverflow(by: channels)
        guard !o1, !o2, n <= maxSamples else {
            throw FlowsError.corrupt("\(width)×\(height)×\(channels) samples exceed the expected \(maxSamples)")
        }
        // A zero dimension makes the product 0 whatever the other is, and row buffers follow the width:
        // bound each (fuzzing found a 0-row stream asking for a 16 GB row buffer).
        let dimensionLimit = max(maxSamples, 1 << 16)
        guard width <= dimensionLimit, height <= dimensionLimit else {
            throw FlowsError.corrupt("\(width)×\(height) image: a side exceeds \(dimensionLimit)")
        }
        var offset = fixedBytes
        var rasterColour: RasterColourTransform? = nil
        if flags & 64 != 0 {
            guard p.count > offset else { throw FlowsError.truncated("colour transform byte") }
            guard let transform = RasterColourTransform(rawValue: p[offset]) else {
                throw FlowsError.corrupt("unknown colour transform \(p[offset])")
            }
            rasterColour = transform
            offset += 1
        }
        var compactions = [ValueCompaction?](repeating: nil, count: channels)
        if flags & 4 != 0 {
            guard p.count >= offset + channels else { throw FlowsError.truncated("compaction flags") }
            let marks = p[offset..<offset + channels]
            guard marks.allSatisfy({ $0 <= 1 }), marks.contains(1) else { throw FlowsError.corrupt("compaction flags") }
            offset += channels
            for (c, mark) in marks.enumerated() where mark == 1 {
                compactions[c] = try ValueCompaction(parsing: p, at: &offset, range: 1 << bitDepth)
            }
        }
        var learnedRaster: LearnedRasterSide? = nil
        if learned {
            learnedRaster = try LearnedRasterSide.parse(p, at: &offset, channels: channels)
        }
        let count = learned ? 0 : scaleCount(channels: channels, raster: raster)
        guard p.count >= offset + count else { throw FlowsError.truncated("prior scale table") }
        let scales = Array(p[offset..<offset + count])
        guard scales.allSatisfy({ $0 == unusedScale || Int($0) < ScaleGrid.count }) else {
            throw FlowsError.corrupt("prior scale index outside the grid")
        }
        offset += count
        let bands = raster ? 0 : channels * ImageLayout(width: width, height: height).levels * 3
        let size = BandCorrection.byteCount
        guard p.count >= offset + bands * size else { throw FlowsError.truncated("band corrections") }
        var corrections = [BandCorrection]()
        for b in 0..<bands {
            let o = offset + b * size
            let weights = p[o + 1..<o + size].map { Int8(bitPattern: $0) }
            guard p[o] <= 1, weights.allSatisfy({ Int32($0).magnitude <= BandCorrection.weightLimit }) else {
                throw FlowsError.corrupt("band correction out of range")
            }
            corrections.append(BandCorrection(weights: weights, nearest: p[o] == 1))
        }
        offset += bands * size
        let header = ImageStreamHeader(channels: channels, bitDepth: bitDepth, colourLifting: flags & 1 != 0,
                                       channelConditioning: flags & 2 != 0, learnedPrior: flags & 8 != 0, learnedCorrection: flags & 16 == 0,
                                       jpegColour: flags & 32 != 0,
                                       neighbourContext: p[0] == neighbourVersion, raster: raster,
                                       biasCancellation: p[0] == biasCancellationVersion || learned, rasterColour: rasterColour, width: width, height: height,
                                       scales: scales, corrections: corrections, compactions: compactions, learnedRaster: learnedRaster)
        return (header, offset)
    }
}
