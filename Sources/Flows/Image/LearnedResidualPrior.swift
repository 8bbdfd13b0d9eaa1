import EntropyCoding

/// What the learned conditioner says about one value besides its mean: one logistic, or a mixture
/// of two whose means sit on either side of the mixture's mean.
struct PriorShape {
    /// The first component's weight in Q16 (1...65535), or 0 for a single logistic, and its logit (Q8 nats).
    var weightQ16: UInt16
    var logitQ8: Int32 = 0
    /// Each component's scale grid index before its bucket's offset (one logistic: `raw1` only).
    var raw1: Int16, raw2: Int16
    /// Each component's mean minus the mixture's mean, Q8 in 8-bit sample units (the activity
    /// shift scales them to the samples' units), within ±32767: ±128 8-bit sample units.
    var offset1Q8: Int16, offset2Q8: Int16
    /// The match component's weight in Q16 (16...65520), 0 when there is none (`MatchState`), and
    /// the residual its copy predicts.
    var matchWeightQ16: UInt16 = 0
    var matchResidual: Int32 = 0

    /// Whether the prior is one discretized logistic: one network component and no copy.
    var isSingleLogistic: Bool { weightQ16 == 0 && matchWeightQ16 == 0 }

    /// One logistic whose scale grid index is `raw`.
    static func single(raw: Int) -> PriorShape {
        PriorShape(weightQ16: 0, raw1: Int16(clamping: raw), raw2: 0, offset1Q8: 0, offset2Q8: 0)
    }
}

/// The prior of payload version 6's residual `value − round(mean)`: `ResidualPrior`'s logistic for
/// one component without a copy, else a `SmallLogisticMixture` of the network's one or two components
/// and the match component. The encoder's push and cost and the decoder's pop all
/// build it here, from the mean's fraction, the shape and the bucket's scale offset.
struct LearnedResidualPrior {
    let prior: ResidualPrior
    /// The activity shift: component offsets are in 8-bit units, the samples deeper.
    let shift: Int32
    /// The pair's slot precision, 24 bits at any depth: its window spans both components (a broad
    /// one makes it wide) and every value in the window takes a slot, a cost that at 16 bits was
    /// 2 % of a validation image's size.
    static let pairPrecision = 24

    @inline(__always)
    func push(_ residual: Int32, fractionQ8: Int32, shape: PriorShape, adjustment: BucketAdjustment, onto stack: inout RansStack) {
        if shape.isSingleLogistic {
            stack.push(escaping: residual, single(fractionQ8: fractionQ8, shape: shape, adjustment: adjustment))
        } else {
            stack.push(escaping: residual, pair(fractionQ8: fractionQ8, shape: shape, adjustment: adjustment))
        }
    }

    @inline(__always)
    func pop(fractionQ8: Int32, shape: PriorShape, adjustment: BucketAdjustment, from stack: inout RansStack) -> Int32 {
        shape.isSingleLogistic
            ? stack.pop(escaping: single(fractionQ8: fractionQ8, shape: shape, adjustment: adjustment))
            : stack.pop(escaping: pair(fractionQ8: fractionQ8, shape: shape, adjustment: adjustment))
    }

    /// Code length of `residual` in Q16 bits (the encoder's fitting of the scale offsets).
    func costQ16(_ residual: Int32, fractionQ8: Int32, shape: PriorShape, adjustment: BucketAdjustment) -> Int64 {
        shape.isSingleLogistic
            ? ResidualPrior.costQ16(residual, single(fractionQ8: fractionQ8, shape: shape, adjustment: adjustment))
            : ResidualPrior.costQ16(residual, pair(fractionQ8: fractionQ8, shape: shape, adjustment: adjustment))
    }

    /// The Q24 mass the network's two components alone give `residual` (0 outside their window),
    /// without the bucket's offsets: what the match component's weight learns against
    /// (`MatchState.update`). The encoder fits the offsets after the pass that records the weights,
    /// so the weights cannot depend on them.
    @inline(__always)
    func networkMass(_ residual: Int32, fractionQ8: Int32, shape: PriorShape) -> UInt64 {
        var own = shape
        own.matchWeightQ16 = 0
        let dist = pair(fractionQ8: fractionQ8, shape: own, adjustment: BucketAdjustment(scale1: 0, scale2: 0, logitQuarters: 0))
        guard dist.codedRange.contains(residual) else { return 0 }
        return UInt64(dist.interval(of: Int(residual)).frequency)
    }

    @inline(__always)
    private func scaleQ8(_ raw: Int16, _ offset: Int) -> Int32 {
        ScaleGrid.scaleQ8(min(max(Int(raw) &+ offset, 0), ScaleGrid.count - 1))
    }

    @inline(__always)
    private func single(fractionQ8: Int32, shape: PriorShape, adjustment: BucketAdjustment) -> DiscretizedLogistic {
        prior.distribution(scaleQ8: scaleQ8(shape.raw1, adjustment.scale1), meanQ8: fractionQ8)
    }

    @inline(__always)
    private func pair(fractionQ8: Int32, shape: PriorShape, adjustment: BucketAdjustment) -> SmallLogisticMixture {
        // |fraction| <= 128 and |offset| < 2^15 << 8: no wrap. Weights w and 2^16 - w (1...65535),
        // both times 2^16 - m with a match of weight m (m 2^16 for the match): below 2^32.
        let m = UInt32(shape.matchWeightQ16), rest = (1 << 16) - m
        let match: LogisticMixture.Component? = m == 0 ? nil
            : .init(weight: m << 16, meanQ8: shape.matchResidual << 8, scaleQ8: minimumScaleQ8)
        if shape.weightQ16 == 0 {
            // One logistic (model 5) beside the match component, or alone (`networkMass`).
            let own = LogisticMixture.Component(weight: rest << 16, meanQ8: fractionQ8, scaleQ8: scaleQ8(shape.raw1, adjustment.scale1))
            return SmallLogisticMixture(own, match ?? .init(weight: 0, meanQ8: 0, scaleQ8: minimumScaleQ8),
                                        support: prior.support, precision: Self.pairPrecision)
        }
        let w = adjustment.logitQuarters == 0 ? UInt32(shape.weightQ16)
            : SmallLogisticMixture.weightQ16(logitQ8: shape.logitQ8 &+ Int32(adjustment.logitQuarters) &<< 6)
        return SmallLogisticMixture(.init(weight: w &* rest, meanQ8: fractionQ8 &+ Int32(shape.offset1Q8) << shift,
                                          scaleQ8: scaleQ8(shape.raw1, adjustment.scale1)),
                                    .init(weight: ((1 << 16) - w) &* rest, meanQ8: fractionQ8 &+ Int32(shape.offset2Q8) << shift,
                                          scaleQ8: scaleQ8(shape.raw2, adjustment.scale2)),
                                    match, support: prior.support, precision: Self.pairPrecision)
    }
}
