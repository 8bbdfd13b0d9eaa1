import EntropyCoding

/// Payload version 5 (what the encoder writes; version 4 is decode-only, see below): the planes (after compaction and colour lifting) in raster order, each
/// pixel an additive coupling on its causal past (`RasterPredictor`), its residual factored out
/// under the same discretized logistic as the interlaced flow, with one fitted scale per
/// (channel, activity context). The encoder keeps it for a strip when it is smaller than the
/// interlaced coding: the weighted predictor wins on fine texture, where the hierarchy's coarse
/// levels predict across long distances.
///
/// Channel order: channel 0 first, then the others; under channel conditioning, a pixel of a
/// later channel adds twice channel 0's residual at the same place to its activity.
///
/// Version 5 has the gradient sub-predictor in `RasterPredictor` and adds `BiasCancellation`'s
/// mean error to each translation. Version 4 (decode only, `RasterVersion4` in Legacy/) had
/// neither; contexts, scales and layout are the same.
enum RasterCoder {
    /// The residual record of every channel (version 5), as `BandRecord`s with `group` = channel.
    static func records(_ planes: [Plane], channelConditioning: Bool, activityShift: Int32) -> [BandRecord] {
        var records = [BandRecord]()
        var lead = [Int32]()
        for (c, plane) in planes.enumerated() {
            var predictor = RasterPredictor<RasterVersion5>(width: plane.width)
            var bias = BiasCancellation()
            var record = BandRecord(group: c, residuals: plane.samples, meansQ8: [],
                                    contexts: [UInt8](repeating: 0, count: plane.count))
            record.meansQ8.reserveCapacity(plane.count)
            let useLead = channelConditioning && c > 0
            plane.samples.withUnsafeBufferPointer { v in
                for y in 0..<plane.height {
                    for x in 0..<plane.width {
                        let i = y * plane.width + x
                        let (base, activity) = predictor.predict(v, x: x, y: y, lead: useLead ? lead[i] : 0)
                        let bucket = InterlacedPredictor.bucket(activity >> activityShift)
                        var q = base
                        let context = BiasCancellation.context(bucket: bucket, texture: predictor.texture)
                        q &+= bias.correctionQ8(context)
                        let t = roundQ8(q)
                        record.residuals[i] = v[i] &- t
                        record.meansQ8.append(Int8(truncatingIfNeeded: q &- t << 8))
                        record.contexts[i] = bucket
                        bias.update(context, errorQ8: Int64(v[i]) << 8 - Int64(base))
                        predictor.update(x: x, y: y, value: v[i])
                    }
                }
            }
            if c == 0 { lead = record.residuals }
            records.append(record)
        }
        return records
    }

    /// Pops the planes of a version-4 or 5 stream. Throws on a context without a scale or a value
    /// outside ±`valueLimit`.
    static func decode(_ stack: inout RansStack, header: ImageStreamHeader, prior: ResidualPrior,
                       activityShift: Int32, valueLimit: Int32) throws(FlowsError) -> [Plane] {
        header.biasCancellation
            ? try decode(RasterVersion5.self, &stack, header: header, prior: prior, activityShift: activityShift, valueLimit: valueLimit)
            : try decode(RasterVersion4.self, &stack, header: header, prior: prior, activityShift: activityShift, valueLimit: valueLimit)
    }

    /// `decode` for one payload version, specialised: the version's differences are constants here.
    static func decode<Version: RasterVersion>(_: Version.Type, _ stack: inout RansStack, header: ImageStreamHeader, prior: ResidualPrior,
                                               activityShift: Int32, valueLimit: Int32) throws(FlowsError) -> [Plane] {
        let (w, h) = (header.width, header.height)
        let k = InterlacedPredictor.contextCount
        let biasCancellation = Version.refined
        var planes = [Plane]()
        var lead = [Int32]()
        let residualLimit = UInt32(2 * valueLimit), sampleLimit = UInt32(valueLimit)
        for c in 0..<header.channels {
            var predictor = RasterPredictor<Version>(width: w)
            var bias = BiasCancellation()
            var values = [Int32](repeating: 0, count: w * h)
            let keepResiduals = c == 0 && header.channelConditioning
            var residuals = keepResiduals ? values : []
            let useLead = header.channelConditioning && c > 0
            // Channel 0's residuals cover the whole plane (it keeps them under channel conditioning).
            precondition(!useLead || lead.count == w * h, "channel 0's residuals")
            let scalesQ8 = ResidualPrior.contextScalesQ8(header.scales, group: c, contexts: k)
            // One pass over the plane on unsafe views: i = y * w + x < w * h, the size of values, of
            // residuals when kept and of lead when used; a bucket is below k = scalesQ8.count.
            try values.withUnsafeMutableBufferPointer { (vs) throws(FlowsError) in
            try residuals.withUnsafeMutableBufferPointer { (rs) throws(FlowsError) in
            try lead.withUnsafeBufferPointer { (ls) throws(FlowsError) in
            try scalesQ8.withUnsafeBufferPointer { (scalesQ8) throws(FlowsError) in
                let decoded = UnsafeBufferPointer(vs)
                for y in 0..<h {
                    for x in 0..<w {
                        let i = y &* w &+ x
                        let (base, activity) = predictor.predict(decoded, x: x, y: y, lead: useLead ? ls[i] : 0)
                        let bucket = InterlacedPredictor.bucket(activity >> activityShift)
                        let scaleQ8 = scalesQ8[Int(bucket)]
                        guard scaleQ8 != 0 else { throw FlowsError.corrupt("context without a prior scale") }
                        var q = base
                        let context = BiasCancellation.context(bucket: bucket, texture: predictor.texture)
                        if biasCancellation { q &+= bias.correctionQ8(context) }
                        let t = roundQ8(q)
                        let r = prior.pop(scaleQ8: scaleQ8, meanQ8: q &- t << 8, from: &stack)
                        // The encoder only pushes, so a valid stream never makes the decoder read below its data.
                        guard !stack.hasReadPastData else { throw FlowsError.truncated("the coded data ends before the image does") }
                        let v = r &+ t
                        guard r.magnitude <= residualLimit, v.magnitude <= sampleLimit else {
                            throw FlowsError.corrupt("decoded value out of range")
                        }
                        vs[i] = v
                        // |v| <= valueLimit and |base| < 2^31: no wrap.
                        if biasCancellation { bias.update(context, errorQ8: Int64(v) &<< 8 &- Int64(base)) }
                        if keepResiduals { rs[i] = r }
                        predictor.update(x: x, y: y, value: v)
                    }
                }
            }}}}
            if c == 0 { lead = residuals }
            planes.append(Plane(width: w, height: h, samples: values))
        }
        return planes
    }
}
