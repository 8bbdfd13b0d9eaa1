/// The per-image side information of payload version 6 (`LearnedRasterCoder`): what adapts the
/// learned conditioner to one file. The encoder fits it; the decoder reads it from the header.
///
/// Layout (after the image header's common part): a model byte (`RasterNetwork.model`); from model 2
/// on, a count of match offsets (0...`maxMatches`) and each offset (`MatchOffset`: dx Int16, dy UInt16,
/// little-endian); then per channel and scale bucket its offsets (`BucketAdjustment`: Int8 each, within
/// ±`offsetLimit`; one for the networks of one logistic (models 1 and 5), three for those of two), then per channel and
/// refit class (`refitClasses` groups of scale buckets) a `MeanRefit`: its shift byte (0 = none), and
/// when not 0 its coefficients, Int16 little-endian.
struct LearnedRasterSide: Equatable {
    static let buckets = 16
    static let offsetLimit: Int8 = 64
    /// The mean refit is fitted per group of `buckets / refitClasses` scale buckets: pixels the
    /// network is sure about and unsure about want different corrections (measured on the
    /// validation images: 4 classes took 1.9 % off one refit per channel, 8 only 0.1 % more).
    static let refitClasses = 4

    @inline(__always)
    static func refitClass(bucket: Int) -> Int { bucket &* refitClasses / buckets }

    /// The network's model byte (`RasterNetwork.model`).
    var model: UInt8
    /// Where earlier copies of the image's content sit (model 2 on), in order of preference.
    var matches: [MatchOffset] = []
    static let maxMatches = 2
    /// Per (channel, bucket) `offsetsPerBucket` offsets, `[(channel * buckets + bucket) * offsetsPerBucket + j]`:
    /// j = 0 the (first) component's scale, 1 the second's, in grid steps (1/8 octave); 2 the first
    /// component's weight logit in quarter nats.
    var bucketOffsets: [Int8]
    var offsetsPerBucket: Int { Self.offsetsPerBucket(model: model) }
    /// Three where the network is a mixture of two logistics (models 2 to 4), else one.
    static func offsetsPerBucket(model: UInt8) -> Int { (2...4).contains(model) ? 3 : 1 }
    /// `[channel * refitClasses + class]`.
    var refits: [MeanRefit]

    /// Whether the match component also copies a channel's value from the last pixel whose earlier
    /// channels had the same values (model 3 on).
    var hasColourCopies: Bool { model >= 3 }

    /// The network `model` names (parsing and `neutral` only admit models that exist).
    var network: RasterNetwork { RasterNetwork.model(model)! }

    /// No adaptation: the network as trained.
    static func neutral(channels: Int, model: UInt8 = RasterNetwork.latestModel) -> LearnedRasterSide {
        precondition(RasterNetwork.model(model) != nil, "raster network model \(model)")
        return LearnedRasterSide(model: model, bucketOffsets: [Int8](repeating: 0, count: channels * buckets * offsetsPerBucket(model: model)),
                          refits: [MeanRefit](repeating: .none, count: channels * refitClasses))
    }

    func serialized() -> [UInt8] {
        var out: [UInt8] = [model]
        if model >= 2 {
            out.append(UInt8(matches.count))
            for m in matches {
                withUnsafeBytes(of: m.dx.littleEndian) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: m.dy.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        out += bucketOffsets.map { UInt8(bitPattern: $0) }
        for r in refits {
            out.append(r.shift)
            if r.shift > 0 {
                for c in r.coefficients { withUnsafeBytes(of: c.littleEndian) { out.append(contentsOf: $0) } }
            }
        }
        return out
    }

    /// Parses the side information of `channels` channels at `offset`.
    static func parse(_ p: [UInt8], at offset: inout Int, channels: Int) throws(FlowsError) -> LearnedRasterSide {
        guard p.count > offset else { throw FlowsError.truncated("learned raster model byte") }
        let model = p[offset]
        guard let network = RasterNetwork.model(model) else { throw FlowsError.corrupt("unknown raster model \(model)") }
        let (hidden, inputs) = (network.hidden, network.inputs)
        offset += 1
        var matches = [MatchOffset]()
        if model >= 2 {
            guard p.count > offset else { throw FlowsError.truncated("match count") }
            let count = Int(p[offset])
            offset += 1
            guard count <= maxMatches else { throw FlowsError.corrupt("\(count) match offsets") }
            guard p.count >= offset + 4 * count else { throw FlowsError.truncated("match offsets") }
            for k in 0..<count {
                let o = offset + 4 * k
                let m = MatchOffset(dx: Int16(bitPattern: UInt16(p[o]) | UInt16(p[o + 1]) << 8), dy: UInt16(p[o + 2]) | UInt16(p[o + 3]) << 8)
                guard m.isCausal else { throw FlowsError.corrupt("match offset (\(m.dx), \(m.dy)) points ahead") }
                matches.append(m)
            }
            offset += 4 * count
        }
        let n = channels * buckets * offsetsPerBucket(model: model)
        guard p.count >= offset + n else { throw FlowsError.truncated("scale offsets") }
        let offsets = p[offset..<offset + n].map { Int8(bitPattern: $0) }
        guard offsets.allSatisfy({ $0.magnitude <= offsetLimit.magnitude }) else { throw FlowsError.corrupt("scale offset out of range") }
        offset += n
        var refits = [MeanRefit]()
        let count = MeanRefit.coefficientCount(hidden: hidden, inputs: inputs)
        for _ in 0..<channels * refitClasses {
            guard p.count > offset else { throw FlowsError.truncated("mean refit") }
            let shift = p[offset]
            offset += 1
            guard shift <= MeanRefit.maxShift else { throw FlowsError.corrupt("mean refit shift \(shift)") }
            guard shift > 0 else { refits.append(.none); continue }
            guard p.count >= offset + 2 * count else { throw FlowsError.truncated("mean refit coefficients") }
            let coefficients = (0..<count).map { k in Int16(bitPattern: UInt16(p[offset + 2 * k]) | UInt16(p[offset + 2 * k + 1]) << 8) }
            offset += 2 * count
            refits.append(MeanRefit(shift: shift, coefficients: coefficients))
        }
        return LearnedRasterSide(model: model, matches: matches, bucketOffsets: offsets, refits: refits)
    }

    /// What the side information adds to the prior of `channel`'s bucket `bucket`.
    @inline(__always)
    func adjustment(bucket: Int, channel: Int) -> BucketAdjustment {
        let k = offsetsPerBucket, base = (channel &* Self.buckets &+ bucket) &* k
        guard k == 3 else { return BucketAdjustment(scale1: Int(bucketOffsets[base]), scale2: 0, logitQuarters: 0) }
        return BucketAdjustment(scale1: Int(bucketOffsets[base]), scale2: Int(bucketOffsets[base &+ 1]),
                                logitQuarters: Int(bucketOffsets[base &+ 2]))
    }
}

/// A per-image linear correction of the network's mean, on its last hidden layer (Q8), the
/// features (Q4) and a constant (256): `(Σ c_k · input_k) >> shift`, in Q8 of 8-bit sample units.
/// Fitted by least squares in the encoder (`MeanRefitFitter`).
struct MeanRefit: Equatable {
    static let maxShift: UInt8 = 30
    /// 0: no refit.
    var shift: UInt8
    /// `hidden + inputs + 1` coefficients when `shift > 0` (`coefficientCount`).
    var coefficients: [Int16]

    static let none = MeanRefit(shift: 0, coefficients: [])

    /// For a network of `hidden` units that reads `inputs` features.
    static func coefficientCount(hidden: Int, inputs: Int) -> Int { hidden + inputs + 1 }

    /// The correction for the hidden layer `h` (`hiddenCount` values within 0...4095) and the
    /// features `x` (`featureCount` values within ±2048).
    @inline(__always)
    func correctionQ8(hidden h: UnsafePointer<Int16>, features x: UnsafePointer<Int16>, hiddenCount: Int, featureCount: Int) -> Int64 {
        guard shift > 0 else { return 0 }
        return coefficients.withUnsafeBufferPointer { c in
            precondition(c.count == Self.coefficientCount(hidden: hiddenCount, inputs: featureCount), "refit size")
            // Int16 × Int16 products summed in Int32: the encoder keeps Σ|c_k|·max_k below 2^31
            // (`RefitStatistics.refits`). A hostile stream's sum may wrap, which only makes its
            // mean wrong, the same way in every decoder.
            var acc: Int32 = 0
            for k in 0..<hiddenCount { acc &+= Int32(c[k]) &* Int32(h[k]) }
            let tail = c.baseAddress! + hiddenCount
            for k in 0..<featureCount { acc &+= Int32(tail[k]) &* Int32(x[k]) }
            return (Int64(acc) &+ Int64(c[c.count &- 1]) &* 256) >> Int64(shift)
        }
    }
}

/// Where an earlier copy of a pixel sits: `dx` columns left (negative: right) and `dy` rows up. The
/// match component of model 2 predicts each sub-pixel from the decoded sub-pixel there.
struct MatchOffset: Hashable {
    var dx: Int16
    var dy: UInt16

    /// Whether the copy is decoded before the pixel in raster order, wherever the pixel is.
    var isCausal: Bool { dy > 0 || dx > 0 }
}

/// What the side information adds to one scale bucket's prior: grid steps (1/8 octave) to each
/// component's scale, quarter nats to the first component's weight logit (model 2).
struct BucketAdjustment {
    var scale1: Int, scale2: Int, logitQuarters: Int
}
