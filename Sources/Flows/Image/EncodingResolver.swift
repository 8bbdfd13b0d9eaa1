/// The residuals of one band, as the encoder records them for fitting and pushing.
struct BandRecord {
    let group: Int
    /// `x − round(t)`: the coupling's output, factored out.
    var residuals: [Int32]
    /// `t − 256·round(t)` ∈ [−128, 127]: the prior's mean offset in Q8.
    var meansQ8: [Int8]
    var contexts: [UInt8]
    /// Activity plus causal energy before bucketing (subbands only; empty for the coarse plane).
    var sums: [Int32] = []
}

/// Encoder side of the flow: reads band values from the squeeze pyramid of the image and records
/// the residuals (inference through the couplings).
struct EncodingResolver: BandResolver {
    /// `pyramid[channel][level]`: the squeeze of that channel's plane at `level`.
    let pyramid: [[SqueezedPlane]]
    /// The coarse plane of each channel.
    let coarse: [Plane]
    let activityShift: Int32
    private(set) var records: [BandRecord] = []
    /// The fitted correction of every subband band, in decode order.
    private(set) var corrections: [BandCorrection] = []
    /// The learned prior (issue 6), if any, and the training-sample collector.
    var learned: LearnedPriorHook
    /// The neighbours' residuals join the prior context (`NeighbourErrors`, payload version 3: the
    /// encoder writes no other interlaced version).
    var neighbours: NeighbourErrors

    init(planes: [Plane], layout: ImageLayout, activityShift: Int32, learned: LearnedPriorHook? = nil) {
        self.activityShift = activityShift
        neighbours = NeighbourErrors(layout: layout, channels: planes.count)
        self.learned = learned ?? LearnedPriorHook(model: nil, channels: planes.count)
        var pyramid = [[SqueezedPlane]](), coarse = [Plane]()
        for plane in planes {
            var levels = [SqueezedPlane](), current = plane
            for _ in 0..<layout.levels {
                let s = Squeeze().forward(current)
                levels.append(s)
                current = s.a
            }
            pyramid.append(levels)
            coarse.append(current)
        }
        self.pyramid = pyramid
        self.coarse = coarse
    }

    mutating func resolve(_ band: BandInfo, candidatesQ8: [[Int32]], activities: [Int32], lead: [Int32]?) throws(FlowsError) -> [Int32] {
        guard let subband = band.subband else { throw FlowsError.shapeMismatch("coarse band resolved as a subband") }
        let s = pyramid[band.channel][band.level]
        let values = subband == .d ? s.d.samples : subband == .b ? s.b.samples : s.c.samples
        let nearestQ8 = candidatesQ8[3], mixed = Array(candidatesQ8[0..<3])
        let interpolated = AdaptiveBlend.predictBand(mixed, values: values, band.width, shift: activityShift)
        // Base translation: whichever of interpolation and nearest pixel leaves smaller residuals.
        func absSum(_ p: [Int32]) -> Int64 { zip(values, p).reduce(0) { $0 + Int64(($1.0 &- roundQ8($1.1)).magnitude) } }
        let nearest = absSum(nearestQ8) < absSum(interpolated)
        let predictionsQ8 = nearest ? nearestQ8 : interpolated, alternativeQ8 = nearest ? interpolated : nearestQ8
        let uncorrected = zip(values, predictionsQ8).map { $0 &- roundQ8($1) }
        let w = band.width
        var fitted = BandCorrection.fit(residuals: uncorrected, width: w, lead: lead,
                                        baseQ8: predictionsQ8, alternativeQ8: alternativeQ8)
        fitted.nearest = nearest
        let correction = fitted.keptIfSmaller(residuals: uncorrected, width: w, lead: lead, values: values,
                                              baseQ8: predictionsQ8, alternativeQ8: alternativeQ8)
        var record = BandRecord(group: band.group, residuals: values, meansQ8: [],
                                contexts: [UInt8](repeating: 0, count: values.count))
        record.meansQ8.reserveCapacity(values.count)
        let near = neighbours.terms(for: band)
        let beta = correction.weightVector
        precondition(uncorrected.count == values.count && (lead?.count ?? values.count) == values.count)
        // A read-only view of the residuals (i < their count; `features` and `causalEnergy` read before i).
        uncorrected.withUnsafeBufferPointer { e in
        for i in values.indices {
            let col = i % w
            let f = BandCorrection.features(e, i, col: col, w, lead: lead?[i] ?? 0, baseQ8: predictionsQ8[i],
                                            alternativeQ8: alternativeQ8[i])
            var p = predictionsQ8[i] &+ BandCorrection.termQ8(f, weights: beta)
            let causal = InterlacedPredictor.causalEnergy(e, i, col: col, w) &+ near[i]
            record.sums.append(activities[i] &+ causal)
            var context = InterlacedPredictor.context(activity: activities[i], causal: causal, shift: activityShift)
            if learned.isActive, let (lp, lc) = learned.apply(e: uncorrected, i, w, candidatesQ8: candidatesQ8, pQ8: p, activity: activities[i],
                                                            shift: activityShift, lead: lead, band: band, value: values[i]) {
                (p, context) = (lp, lc)
            }
            let t = roundQ8(p)
            record.residuals[i] = values[i] &- t
            record.meansQ8.append(Int8(truncatingIfNeeded: p &- t << 8))
            record.contexts[i] = context
        }
        }
        neighbours.record(band, residuals: record.residuals)
        records.append(record)
        corrections.append(correction)
        return values
    }

    mutating func resolveCoarse(_ band: BandInfo, activityShift: Int32) throws(FlowsError) -> [Int32] {
        let plane = coarse[band.channel]
        var record = BandRecord(group: band.group, residuals: plane.samples, meansQ8: [],
                                contexts: [UInt8](repeating: 0, count: plane.count))
        plane.samples.withUnsafeBufferPointer { v in
            for y in 0..<plane.height {
                for x in 0..<plane.width {
                    let i = y * plane.width + x
                    let (p, ctx) = CoarsePredictor.predict(v, x: x, y: y, width: plane.width, activityShift: activityShift)
                    record.residuals[i] = v[i] &- roundQ8(p)
                    record.contexts[i] = ctx
                }
            }
        }
        record.meansQ8 = [Int8](repeating: 0, count: plane.count)
        neighbours.recordCoarse(channel: band.channel, residuals: record.residuals)
        records.append(record)
        return plane.samples
    }
}
