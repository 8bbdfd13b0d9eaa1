import EntropyCoding

/// Payload version 6: the raster coding whose conditioner is learned. Each sub-pixel's residual
/// prior is a discretized logistic whose mean and scale come from `RasterNetwork` (trained by
/// maximum likelihood) on the `RasterFeatures` of the decoded past, adapted to the file by side
/// information the encoder fits and sends (`LearnedRasterSide`): a least-squares refit of the
/// mean on the network's last hidden layer and the features, and a scale offset per (channel,
/// scale bucket). It is the translation and prior of an autoregressive additive coupling, as
/// version 5's, with the hand-made model's parts (weighted predictor, bias cancellation) as the
/// network's inputs.
///
/// Encoder and decoder run one description of the coding, `run`, with a `Visitor` that either
/// knows the values (the encoder's passes) or pops them (the decoder).
enum LearnedRasterCoder {
    /// Where `run` meets its caller: the value of each sub-pixel, in coding order.
    protocol Visitor {
        /// Whether the next sub-pixel of `channel` needs the conditioner (`visit`). Only an
        /// encoder's pass that knows every value may skip some (the refit's sampling): a skipped
        /// sub-pixel keeps its value and leaves the online correction alone.
        mutating func wants(channel: Int) -> Bool
        /// The value of the sub-pixel `pixel` describes. The encoder's visitors return the known
        /// `value` (and record what they need); the decoder pops it.
        mutating func visit(_ pixel: Pixel, value: Int32) throws(FlowsError) -> Int32
        /// Whether `pixel.features` holds all `RasterFeatures.wideCount` features whatever the
        /// network reads (training samples); else the network's `inputs`.
        static var wantsWideFeatures: Bool { get }
    }

    /// What the conditioner says about one sub-pixel.
    struct Pixel {
        var channel: Int
        /// The weighted predictor's base prediction `P` (Q8), before the network.
        var baseQ8: Int32
        /// The base prediction plus the network's correction, Q8 in sample units (no refit).
        var networkMeanQ8: Int64
        /// The final mean, Q8, with the refit (within the sample range).
        var meanQ8: Int32
        /// The prior's components: weights, scale grid indices before the per-bucket offset (may lie
        /// outside the grid), the components' means around `meanQ8`.
        var shape: PriorShape
        /// The scale bucket (of the mixture's mean log-scale): what selects the scale offset and refit class.
        var bucket: Int
        /// The refit class (`LearnedRasterSide.refitClass`) of the pixel's channel and bucket: `channel * refitClasses + class`.
        var refitGroup: Int { channel &* LearnedRasterSide.refitClasses &+ LearnedRasterSide.refitClass(bucket: bucket) }
        /// The network's last hidden layer and the features (valid during `visit`).
        var hidden: UnsafePointer<Int16>
        var features: UnsafePointer<Int16>
    }

    /// Runs the coding over `planes` (the encoder passes the real planes; the decoder zeros that
    /// `visit` fills). `shift` is the activity shift (deeper samples → 8-bit units).
    static func run<V: Visitor>(_ planes: inout [Plane], network: RasterNetwork, side: LearnedRasterSide, shift: Int32,
                                visitor: inout V) throws(FlowsError) {
        let nf = V.wantsWideFeatures ? RasterFeatures.wideCount : network.inputs, m = network.hidden
        let features = UnsafeMutablePointer<Int16>.allocate(capacity: nf)
        let h1 = UnsafeMutablePointer<Int16>.allocate(capacity: m), h2 = UnsafeMutablePointer<Int16>.allocate(capacity: m)
        let out = UnsafeMutablePointer<Int32>.allocate(capacity: RasterNetwork.maxOutputs)
        defer { features.deallocate(); h1.deallocate(); h2.deallocate(); out.deallocate() }
        features.initialize(repeating: 0, count: nf)
        h1.initialize(repeating: 0, count: m)
        h2.initialize(repeating: 0, count: m)
        out.initialize(repeating: 0, count: RasterNetwork.maxOutputs)
        let components = network.components
        let meanLimit = Int64(1) << 26   // 2^18 samples in Q8
        var leads = [[Int32]]()
        for c in planes.indices {
            let (w, h) = (planes[c].width, planes[c].height)
            var pass = RasterChannelPass(width: w, channel: .init(index: c, channels: planes.count, shift: shift))
            // Online correction of the final mean: its running error per (scale bucket, texture).
            var finalBias = BiasCancellation()
            var residuals = [Int32](repeating: 0, count: c < 2 ? w * h : 0)
            let refits = side.refits[c * LearnedRasterSide.refitClasses..<(c + 1) * LearnedRasterSide.refitClasses]
            let lead0 = c >= 1 ? leads[0] : [], lead1 = c >= 2 ? leads[1] : []
            precondition(lead0.count == (c >= 1 ? w * h : 0) && lead1.count == (c >= 2 ? w * h : 0), "earlier channels' residuals")
            let gridShift = 8 &* Int(shift)
            // The match component (model 2 on): the first of the side's copy offsets that lands inside
            // the plane, else (model 3, channels after the first) the colour copy, else the value that
            // last followed the same neighbourhood (`ContextMatch`).
            var matchState = MatchState(width: w)
            var contextMatch = ContextMatch()
            // The pair's prior (the same at every depth) for the match weight's learning.
            let pairPrior = LearnedResidualPrior(prior: ResidualPrior(bitDepth: 8), shift: shift)
            let hasMatches = side.model >= 2
            let match0 = side.matches.first, match1 = side.matches.count > 1 ? side.matches[1] : nil
            @inline(__always) func copy(_ m: MatchOffset?, _ x: Int, _ y: Int) -> Int? {
                guard let m else { return nil }
                // dy > 0, or dy = 0 and dx > 0 (parsing checks it): the copy is decoded already.
                let sx = x &- Int(m.dx), sy = y &- Int(m.dy)
                guard sx >= 0, sx < w, sy >= 0 else { return nil }
                return sy &* w &+ sx
            }
            // Colour copies (model 3, channels after the first): the value this channel last had where
            // the earlier channels had the same values at the pixel. A palette gives it exactly; in a
            // photo, colours lie near a surface, and the luma and first chroma often fix the last.
            let colourCopies = side.hasColourCopies && c >= 1
            let earlier0 = c >= 1 ? planes[0].samples : [], earlier1 = c >= 2 ? planes[1].samples : []
            var colourMatch = ContextMatch()
            try planes[c].samples.withUnsafeMutableBufferPointer { (vs) throws(FlowsError) in
                let decoded = UnsafeBufferPointer(vs)
                for y in 0..<h {
                    for x in 0..<w {
                        let i = y &* w &+ x
                        let base = pass.prepare(decoded, x: x, y: y, lead0: c >= 1 ? lead0[i] : 0, lead1: c >= 2 ? lead1[i] : 0,
                                                features: features)
                        if nf > RasterFeatures.count {
                            RasterFeatures.writeWide(into: features + RasterFeatures.count, decoded, x: x, y: y, width: w, height: h,
                                                     baseQ8: base, channel: pass.channel, earlier0: earlier0, earlier1: earlier1)
                        }
                        // The copy: its source (0, 1: the offsets; 2: the neighbourhood; 3: the colour; -1: none)
                        // and value; with both a colour and a different neighbourhood copy, the other one.
                        var matchOffset = -1, matchValue: Int32 = 0, neighbourhood: UInt64 = 0, colourKey: UInt64 = 0
                        var otherOffset = -1, otherValue: Int32 = 0
                        if hasMatches {
                            neighbourhood = ContextMatch.hash(vs, x: x, y: y, width: w)
                            if colourCopies { colourKey = ContextMatch.colourHash(earlier0[i], c >= 2 ? earlier1[i] : Int32.min) }
                            if let j = copy(match0, x, y) {
                                (matchOffset, matchValue) = (0, vs[j])
                            } else if let j = copy(match1, x, y) {
                                (matchOffset, matchValue) = (1, vs[j])
                            } else if colourCopies, let v = colourMatch.predict(colourKey) {
                                (matchOffset, matchValue) = (3, v)
                                if let n = contextMatch.predict(neighbourhood), n != v { (otherOffset, otherValue) = (2, n) }
                            } else if let v = contextMatch.predict(neighbourhood) {
                                (matchOffset, matchValue) = (2, v)
                            }
                        }
                        guard visitor.wants(channel: c) else {
                            if c < 2 { residuals[i] = vs[i] &- roundQ8(base) }
                            if hasMatches {
                                matchState.update(x: x, context: nil, hit: matchOffset >= 0 && vs[i] == matchValue)
                                contextMatch.record(neighbourhood, value: vs[i])
                                if colourCopies { colourMatch.record(colourKey, value: vs[i]) }
                            }
                            pass.update(x: x, y: y, value: vs[i])
                            continue
                        }
                        network.evaluate(features, h1: h1, h2: h2, out: out)
                        let (delta, raw, networkShape) = Self.prior(out, components: components, gridShift: gridShift)
                        var shape = networkShape
                        let networkMean = Int64(base) &+ (Int64(delta) << shift)
                        let bucket = min(max((raw &- 16) >> 2, 0), LearnedRasterSide.buckets - 1)
                        let refit = refits[refits.startIndex &+ LearnedRasterSide.refitClass(bucket: bucket)]
                        let correction = refit.correctionQ8(hidden: h2, features: features, hiddenCount: m, featureCount: network.inputs)
                        let biasContext = BiasCancellation.context(bucket: UInt8(bucket), texture: pass.texture)
                        let fitted = min(max(networkMean &+ (correction << shift), -meanLimit), meanLimit)
                        let mean = min(max(fitted &+ Int64(finalBias.correctionQ8(biasContext)), -meanLimit), meanLimit)
                        var matchContext: Int? = nil, otherContext: Int? = nil, otherWeight: UInt16 = 0
                        let centre = roundQ8(Int32(mean))
                        if matchOffset >= 0 {
                            var context = matchState.context(offset: matchOffset, agrees: matchValue == centre, x: x)
                            if otherOffset >= 0 {
                                // Two copies disagree: the one more often right in its context gets the
                                // component; the other's context still learns from the outcome.
                                var other = matchState.context(offset: otherOffset, agrees: otherValue == centre, x: x)
                                if matchState.weightQ16(other) > matchState.weightQ16(context) {
                                    swap(&context, &other)
                                    swap(&matchValue, &otherValue)
                                }
                                (otherContext, otherWeight) = (other, matchState.weightQ16(other))
                            }
                            shape.matchResidual = matchValue &- centre   // both within ±2^18
                            shape.matchWeightQ16 = matchState.weightQ16(context)
                            matchContext = context
                        }
                        let pixel = Pixel(channel: c, baseQ8: base, networkMeanQ8: networkMean, meanQ8: Int32(mean),
                                          shape: shape, bucket: bucket,
                                          hidden: UnsafePointer(h2), features: UnsafePointer(features))
                        let v = try visitor.visit(pixel, value: vs[i])
                        vs[i] = v
                        if c < 2 { residuals[i] = v &- roundQ8(base) }
                        if hasMatches {
                            if matchContext != nil && v == matchValue {
                                let p = pairPrior.networkMass(v &- centre, fractionQ8: Int32(mean) &- centre << 8, shape: shape)
                                matchState.update(x: x, context: matchContext, hit: true, weightQ16: shape.matchWeightQ16, networkMass: p)
                            } else {
                                matchState.update(x: x, context: matchContext, hit: false)
                            }
                            if let otherContext {
                                let p = v == otherValue ? pairPrior.networkMass(v &- centre, fractionQ8: Int32(mean) &- centre << 8, shape: shape) : 0
                                matchState.learn(otherContext, hit: v == otherValue, weightQ16: otherWeight, networkMass: p)
                            }
                            contextMatch.record(neighbourhood, value: v)
                            if colourCopies { colourMatch.record(colourKey, value: v) }
                        }
                        // |v| < 2^18 and |fitted| <= 2^26: no wrap.
                        finalBias.update(biasContext, errorQ8: Int64(v) &<< 8 &- fitted)
                        pass.update(x: x, y: y, value: v)
                    }
                }
            }
            leads.append(residuals)
        }
    }

    /// The network's outputs as a prior: the mean correction (Q8, 8-bit units), the raw scale
    /// index of the (mixture's mean) log-scale, which picks the bucket, and the shape.
    /// `gridShift` moves scale indices to deeper samples' units.
    @inline(__always)
    static func prior(_ out: UnsafePointer<Int32>, components: Int, gridShift: Int) -> (deltaQ8: Int32, raw: Int, shape: PriorShape) {
        // log2 scale Q8 → grid steps of 1/8 octave; grid index 32 is scale 1.
        @inline(__always) func rawIndex(_ log2ScaleQ8: Int64) -> Int { Int((log2ScaleQ8 &+ 16) >> 5) &+ 32 }
        guard components == 2 else {
            let raw = rawIndex(Int64(out[1]))
            return (out[0], raw, .single(raw: raw &+ gridShift))
        }
        let w = SmallLogisticMixture.weightQ16(logitQ8: out[4])
        let (w1, w2) = (Int64(w), Int64(1 << 16) &- Int64(w))
        let (d1, d2) = (Int64(out[0]), Int64(out[1]))
        // Int32 outputs times weights below 2^16: no wrap in Int64. The mean is between d1 and d2.
        let delta = (w1 &* d1 &+ w2 &* d2) >> 16
        let logScale = (w1 &* Int64(out[2]) &+ w2 &* Int64(out[3])) >> 16
        @inline(__always) func offset(_ d: Int64) -> Int16 { Int16(min(max(d &- delta, -32767), 32767)) }
        let shape = PriorShape(weightQ16: UInt16(w), logitQ8: min(max(out[4], -(1 << 20)), 1 << 20),
                               raw1: Int16(clamping: rawIndex(Int64(out[2])) &+ gridShift),
                               raw2: Int16(clamping: rawIndex(Int64(out[3])) &+ gridShift),
                               offset1Q8: offset(d1), offset2Q8: offset(d2))
        return (Int32(delta), rawIndex(logScale), shape)
    }
}

extension LearnedRasterCoder.Visitor {
    static var wantsWideFeatures: Bool { false }
}
