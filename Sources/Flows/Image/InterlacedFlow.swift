/// One band of the hierarchy, as the flow hands it to a `BandResolver`.
struct BandInfo {
    let channel: Int
    let level: Int
    /// nil for the coarse plane (coded autoregressively, see `CoarsePredictor`).
    let subband: Subband?
    /// Prior parameter group (`ImageLayout.group`).
    let group: Int
    let width: Int, height: Int
}

/// The side of the codec that knows the band values: the encoder reads them from the image, the
/// decoder pops them off the rANS stack. The flow calls the resolver in *decode* order, so the
/// coupling and prior code below is shared by both directions and cannot disagree.
protocol BandResolver {
    /// The values of a band, given its Q8 predictions (the coupling's `t`), activities (from
    /// which, with the band's causal residuals, `InterlacedPredictor.context` makes the prior
    /// context) and, under channel conditioning, channel 0's residuals in this band
    /// (`BandCorrection` reads them). `candidatesQ8` are the base translations
    /// `[blend, line one, line two, nearest coarse pixel]`: the first three are mixed by
    /// `AdaptiveBlend`; the last is the base of bands in the nearest mode (and the correction's
    /// alternative otherwise).
    mutating func resolve(_ band: BandInfo, candidatesQ8: [[Int32]], activities: [Int32], lead: [Int32]?) throws(FlowsError) -> [Int32]
    /// The values of the coarse plane (its predictions depend on its own earlier pixels).
    mutating func resolveCoarse(_ band: BandInfo, activityShift: Int32) throws(FlowsError) -> [Int32]
}

/// The fixed multi-scale integer flow of docs/DESIGN.md §5.3, per channel: squeeze, additive
/// couplings `d ← d − round(t(a))`, `b ← b − round(t(a, d))`, `c ← c − round(t(a, d))` (the
/// `InterlacedPredictor`), factor-out of the three residual bands, and recursion on `a`; the last
/// `a` is the coarse plane. Cost of the flow itself: 0 bits (volume-preserving); all bits are the
/// priors' code lengths of the factored-out residuals.
///
/// Decode order (coarse to fine): coarse planes of all channels; then for each level from the
/// coarsest, for `d`, `b`, `c`, for each channel: one band. With channel conditioning, bands of
/// channels ≥ 1 see the residuals of channel 0 in the same band through their activity context.
struct InterlacedFlow {
    let layout: ImageLayout
    let channels: Int
    let channelConditioning: Bool
    /// `bitDepth − 8`: brings activities to an 8-bit scale before bucketing.
    let activityShift: Int32

    /// Walks the hierarchy in decode order, asking `resolver` for every band; returns the planes.
    func run<R: BandResolver>(_ resolver: inout R) throws(FlowsError) -> [Plane] {
        let predictor = InterlacedPredictor()
        let top = layout.levels
        var known = [Plane]()
        for ch in 0..<channels {
            let (w, h) = layout.sizes[top]
            let info = BandInfo(channel: ch, level: top, subband: nil,
                                group: ImageLayout.group(channel: ch, level: top, subband: nil), width: w, height: h)
            known.append(Plane(width: w, height: h, samples: try resolver.resolveCoarse(info, activityShift: activityShift)))
        }
        for level in stride(from: top - 1, through: 0, by: -1) {
            let (w, h) = layout.sizes[level]
            let we = (w + 1) / 2, wo = w / 2, he = (h + 1) / 2, ho = h / 2
            var bands: [[Plane]] = Array(repeating: [], count: 3)     // [subband][channel]
            for subband in Subband.allCases {
                let (bw, bh) = subband == .d ? (wo, ho) : subband == .b ? (wo, he) : (we, ho)
                var lead: [Int32]? = nil
                for ch in 0..<channels {
                    let cond = SubbandCondition(
                        subband: subband, width: bw, height: bh, coarse: known[ch],
                        diagonal: subband == .d ? nil : bands[0][ch],
                        leadResiduals: channelConditioning && ch > 0 ? lead : nil,
                        leadCoarse: channelConditioning && ch > 0 ? known[0] : nil,
                        leadDiagonal: channelConditioning && ch > 0 && subband != .d ? bands[0][0] : nil,
                        activityShift: activityShift)
                    var predictions = [Int32](repeating: 0, count: bw * bh)
                    var activities = [Int32](repeating: 0, count: bw * bh)
                    var lineOne = activities, lineTwo = activities
                    predictor.analyse(cond, predictions: &predictions, lineOne: &lineOne, lineTwo: &lineTwo,
                                      activities: &activities)
                    let info = BandInfo(channel: ch, level: level, subband: subband,
                                        group: ImageLayout.group(channel: ch, level: level, subband: subband),
                                        width: bw, height: bh)
                    var nearest = [Int32](repeating: 0, count: bw * bh)
                    for i in 0..<bh { for j in 0..<bw { nearest[i * bw + j] = known[ch][j, i] << 8 } }
                    let values = try resolver.resolve(info, candidatesQ8: [predictions, lineOne, lineTwo, nearest],
                                                      activities: activities, lead: cond.leadResiduals)
                    guard values.count == bw * bh else { throw FlowsError.shapeMismatch("band size") }
                    if channelConditioning && ch == 0 {
                        lead = zip(values, predictions).map { $0 &- roundQ8($1) }
                    }
                    bands[subband.rawValue].append(Plane(width: bw, height: bh, samples: values))
                }
            }
            for ch in 0..<channels {
                known[ch] = try Squeeze().inverse(SqueezedPlane(a: known[ch], b: bands[1][ch], c: bands[2][ch], d: bands[0][ch]))
            }
        }
        return known
    }
}

/// `round(p / 256)`, half up: the rounding of every Q8 coupling translation in the image flow.
@inline(__always) func roundQ8(_ p: Int32) -> Int32 { (p &+ 128) >> 8 }
