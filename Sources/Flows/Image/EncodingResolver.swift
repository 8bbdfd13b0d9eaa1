/// The residuals of one band, as the encoder records them for fitting and pushing.
struct BandRecord {
    let group: Int
    /// `x − round(t)`: the coupling's output, factored out.
    var residuals: [Int32]
    /// `t − 256·round(t)` ∈ [−128, 127]: the prior's mean offset in Q8.
    var meansQ8: [Int8]
    var contexts: [UInt8]
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

    init(planes: [Plane], layout: ImageLayout, activityShift: Int32) {
        self.activityShift = activityShift
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

    mutating func resolve(_ band: BandInfo, predictionsQ8: [Int32], activities: [Int32]) throws(FlowsError) -> [Int32] {
        guard let subband = band.subband else { throw FlowsError.shapeMismatch("coarse band resolved as a subband") }
        let s = pyramid[band.channel][band.level]
        let values = subband == .d ? s.d.samples : subband == .b ? s.b.samples : s.c.samples
        var record = BandRecord(group: band.group, residuals: values, meansQ8: [],
                                contexts: [UInt8](repeating: 0, count: values.count))
        record.meansQ8.reserveCapacity(values.count)
        let w = band.width
        for i in values.indices {
            let t = roundQ8(predictionsQ8[i])
            record.residuals[i] = values[i] &- t
            record.meansQ8.append(Int8(truncatingIfNeeded: predictionsQ8[i] &- t << 8))
            record.contexts[i] = InterlacedPredictor.context(
                activity: activities[i], left: i % w > 0 ? record.residuals[i - 1] : 0,
                up: i >= w ? record.residuals[i - w] : 0, shift: activityShift)
        }
        records.append(record)
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
        records.append(record)
        return plane.samples
    }
}
