import EntropyCoding

/// Decoder side of the flow: pops each band's residuals off the rANS stack under the prior and
/// adds the coupling's translation back (sampling through the inverse couplings). `Neighbours` is
/// the payload version's neighbour term: `NeighbourErrors` (version 3) or `NoNeighbourTerms`
/// (version 1, decode-only, Legacy/).
struct DecodingResolver<Neighbours: NeighbourTerms>: BandResolver {
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
    /// The neighbours' residuals that join the prior context.
    var neighbours: Neighbours

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
        guard learned.isActive else {
            return try resolveHandMade(band, correction: correction, candidatesQ8: candidatesQ8, activities: activities, lead: lead)
        }
        let nearestQ8 = candidatesQ8[3], mixed = Array(candidatesQ8[0..<3])
        var predictionsQ8 = nearestQ8
        var values = [Int32](repeating: 0, count: nearestQ8.count)
        var uncorrected = values
        let w = band.width
        let near = neighbours.terms(for: band)
        var residuals = values
        for i in values.indices {
            let interpolated = AdaptiveBlend.predict(mixed, values: values, i, w, shift: activityShift)
            if !correction.nearest { predictionsQ8[i] = interpolated }
            let alternative = correction.nearest ? interpolated : nearestQ8[i]
            let f = BandCorrection.features(uncorrected, i, w, lead: lead, baseQ8: predictionsQ8[i], alternativeQ8: alternative)
            var p = predictionsQ8[i] &+ correction.termQ8(f)
            let causal = InterlacedPredictor.causalEnergy(uncorrected, i, w) &+ near[i]
            var context = InterlacedPredictor.context(activity: activities[i], causal: causal, shift: activityShift)
            if learned.isActive, let (lp, lc) = learned.apply(e: uncorrected, i, w, candidatesQ8: candidatesQ8, pQ8: p, activity: activities[i],
                                                            shift: activityShift, lead: lead, band: band, value: 0) {
                (p, context) = (lp, lc)
            }
            let t = roundQ8(p)
            values[i] = try pop(group: band.group, context: context, meanQ8: p &- t << 8, translation: t)
            uncorrected[i] = values[i] &- roundQ8(predictionsQ8[i])
            residuals[i] = values[i] &- t
        }
        neighbours.record(band, residuals: residuals)
        return values
    }

    /// `resolve` without the learned prior (its hook reads the band's arrays): the same steps, on
    /// unsafe views of the band's arrays, whose sizes are checked once here. The index `i = y · w + x`
    /// is then below the band's size `n`, and each helper reads only at `i` or before it.
    private mutating func resolveHandMade(_ band: BandInfo, correction: BandCorrection, candidatesQ8: [[Int32]],
                                          activities: [Int32], lead: [Int32]?) throws(FlowsError) -> [Int32] {
        let w = band.width, h = band.height, n = w * h
        let near = neighbours.terms(for: band)
        precondition(candidatesQ8.count == 4 && candidatesQ8.allSatisfy { $0.count == n } && activities.count == n
                     && (lead?.count ?? n) == n && near.count == n, "band arrays of the band's size")
        let hasLead = lead != nil
        let contexts = InterlacedPredictor.contextCount
        let scalesQ8 = ResidualPrior.contextScalesQ8(scales, group: band.group, contexts: contexts)
        let beta = correction.weightVector, nearest = correction.nearest, shift = activityShift
        let residualLimit = UInt32(2 * valueLimit), sampleLimit = UInt32(valueLimit)
        var values = [Int32](repeating: 0, count: n)
        var uncorrected = values
        var residuals = values
        // The stack in a local for the loop (the closures below cannot capture self mutably).
        var stack = RansStack()
        swap(&stack, &self.stack)
        defer { swap(&stack, &self.stack) }
        let prior = self.prior
        try values.withUnsafeMutableBufferPointer { (xs) throws(FlowsError) in
        try uncorrected.withUnsafeMutableBufferPointer { (es) throws(FlowsError) in
        try residuals.withUnsafeMutableBufferPointer { (rs) throws(FlowsError) in
        try candidatesQ8[0].withUnsafeBufferPointer { (c0) throws(FlowsError) in
        try candidatesQ8[1].withUnsafeBufferPointer { (c1) throws(FlowsError) in
        try candidatesQ8[2].withUnsafeBufferPointer { (c2) throws(FlowsError) in
        try candidatesQ8[3].withUnsafeBufferPointer { (nearestQ8) throws(FlowsError) in
        try activities.withUnsafeBufferPointer { (activities) throws(FlowsError) in
        try (lead ?? []).withUnsafeBufferPointer { (lead) throws(FlowsError) in
        try near.withUnsafeBufferPointer { (near) throws(FlowsError) in
        try scalesQ8.withUnsafeBufferPointer { (scalesQ8) throws(FlowsError) in
            let decoded = UnsafeBufferPointer(xs), e = UnsafeBufferPointer(es)
            for y in 0..<h {
                for x in 0..<w {
                    let i = y &* w &+ x
                    let interpolated = AdaptiveBlend.predict(c0, c1, c2, values: decoded, i, col: x, w, shift: shift)
                    let base = nearest ? nearestQ8[i] : interpolated
                    let f = BandCorrection.features(e, i, col: x, w, lead: hasLead ? lead[i] : 0, baseQ8: base,
                                                    alternativeQ8: nearest ? interpolated : nearestQ8[i])
                    let p = base &+ BandCorrection.termQ8(f, weights: beta)
                    let causal = InterlacedPredictor.causalEnergy(e, i, col: x, w) &+ near[i]
                    // A context is below contextCount = scalesQ8.count.
                    let context = InterlacedPredictor.context(activity: activities[i], causal: causal, shift: shift)
                    let scaleQ8 = scalesQ8[Int(context)]
                    guard scaleQ8 != 0 else { throw FlowsError.corrupt("context without a prior scale") }
                    let t = roundQ8(p)
                    let r = prior.pop(scaleQ8: scaleQ8, meanQ8: p &- t << 8, from: &stack)
                    // The encoder only pushes, so a valid stream never makes the decoder read below its data.
                    guard !stack.hasReadPastData else { throw FlowsError.truncated("the coded data ends before the image does") }
                    let v = r &+ t
                    guard r.magnitude <= residualLimit, v.magnitude <= sampleLimit else {
                        throw FlowsError.corrupt("decoded value out of range")
                    }
                    xs[i] = v
                    es[i] = v &- roundQ8(base)
                    rs[i] = r
                }
            }
        }}}}}}}}}}}
        neighbours.record(band, residuals: residuals)
        return values
    }

    mutating func resolveCoarse(_ band: BandInfo, activityShift: Int32) throws(FlowsError) -> [Int32] {
        var values = [Int32](repeating: 0, count: band.width * band.height)
        var residuals = values
        for y in 0..<band.height {
            for x in 0..<band.width {
                let (p, ctx) = values.withUnsafeBufferPointer {
                    CoarsePredictor.predict($0, x: x, y: y, width: band.width, activityShift: activityShift)
                }
                let i = y * band.width + x
                values[i] = try pop(group: band.group, context: ctx, meanQ8: 0, translation: roundQ8(p))
                residuals[i] = values[i] &- roundQ8(p)
            }
        }
        neighbours.recordCoarse(channel: band.channel, residuals: residuals)
        return values
    }
}
