import EntropyCoding

/// Decoder side of the flow: pops each band's residuals off the rANS stack under the prior and
/// adds the coupling's translation back (sampling through the inverse couplings).
struct DecodingResolver: BandResolver {
    var stack: RansStack
    let prior: ResidualPrior
    /// Scale index per (group, context), from the header.
    let scales: [UInt8]
    /// Decoded values must stay within ±`valueLimit` (the range any valid stream produces); a
    /// value outside means a corrupt stream, and stopping there keeps all arithmetic in range.
    let valueLimit: Int32
    let activityShift: Int32
    /// The header's per-band corrections, consumed in decode order.
    let corrections: [BandCorrection]
    var nextCorrection = 0
    /// The learned prior (issue 6), if the stream uses one.
    var learned: LearnedPriorHook
    /// Payload version 3: the neighbours' residuals join the prior context (`NeighbourErrors`).
    var neighbours: NeighbourErrors?

    @inline(__always)
    private mutating func pop(group: Int, context: UInt8, meanQ8: Int32, translation: Int32) throws(FlowsError) -> Int32 {
        let k = scales[group * InterlacedPredictor.contextCount + Int(context)]
        guard k != ImageStreamHeader.unusedScale else { throw FlowsError.corrupt("context without a prior scale") }
        let r = prior.pop(scaleIndex: Int(k), meanQ8: meanQ8, from: &stack)
        // The encoder only pushes, so a valid stream never makes the decoder read below its data.
        guard !stack.hasReadPastData else { throw FlowsError.truncated("the coded data ends before the image does") }
        let v = r &+ translation
        guard r.magnitude <= UInt32(2 * valueLimit), v.magnitude <= UInt32(valueLimit) else {
            throw FlowsError.corrupt("decoded value out of range")
        }
        return v
    }

    mutating func resolve(_ band: BandInfo, candidatesQ8: [[Int32]], activities: [Int32], lead: [Int32]?) throws(FlowsError) -> [Int32] {
        guard nextCorrection < corrections.count else { throw FlowsError.corrupt("more bands than corrections") }
        let correction = corrections[nextCorrection]
        nextCorrection += 1
        let nearestQ8 = candidatesQ8[3], mixed = Array(candidatesQ8[0..<3])
        var predictionsQ8 = nearestQ8
        var values = [Int32](repeating: 0, count: nearestQ8.count)
        var uncorrected = values
        let w = band.width
        let near = neighbours?.terms(for: band)
        var residuals = neighbours == nil ? [] : values
        for i in values.indices {
            let interpolated = AdaptiveBlend.predict(mixed, values: values, i, w, shift: activityShift)
            if !correction.nearest { predictionsQ8[i] = interpolated }
            let alternative = correction.nearest ? interpolated : nearestQ8[i]
            let f = BandCorrection.features(uncorrected, i, w, lead: lead, baseQ8: predictionsQ8[i], alternativeQ8: alternative)
            var p = predictionsQ8[i] &+ correction.termQ8(f)
            let causal = InterlacedPredictor.causalEnergy(uncorrected, i, w) &+ (near?[i] ?? 0)
            var context = InterlacedPredictor.context(activity: activities[i], causal: causal, shift: activityShift)
            if learned.isActive, let (lp, lc) = learned.apply(e: uncorrected, i, w, candidatesQ8: candidatesQ8, pQ8: p, activity: activities[i],
                                                            shift: activityShift, lead: lead, band: band, value: 0) {
                (p, context) = (lp, lc)
            }
            let t = roundQ8(p)
            values[i] = try pop(group: band.group, context: context, meanQ8: p &- t << 8, translation: t)
            uncorrected[i] = values[i] &- roundQ8(predictionsQ8[i])
            if near != nil { residuals[i] = values[i] &- t }
        }
        neighbours?.record(band, residuals: residuals)
        return values
    }

    mutating func resolveCoarse(_ band: BandInfo, activityShift: Int32) throws(FlowsError) -> [Int32] {
        var values = [Int32](repeating: 0, count: band.width * band.height)
        var residuals = neighbours == nil ? [] : values
        for y in 0..<band.height {
            for x in 0..<band.width {
                let (p, ctx) = values.withUnsafeBufferPointer {
                    CoarsePredictor.predict($0, x: x, y: y, width: band.width, activityShift: activityShift)
                }
                let i = y * band.width + x
                values[i] = try pop(group: band.group, context: ctx, meanQ8: 0, translation: roundQ8(p))
                if !residuals.isEmpty { residuals[i] = values[i] &- roundQ8(p) }
            }
        }
        neighbours?.recordCoarse(channel: band.channel, residuals: residuals)
        return values
    }
}
