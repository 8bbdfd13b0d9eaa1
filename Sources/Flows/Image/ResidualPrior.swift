import EntropyCoding

/// The prior of the factored-out residuals: a discretized logistic whose mean offset is the
/// fractional part of the coupling's translation and whose scale comes from the activity context
/// (an index into `ScaleGrid`, fitted per file). Values outside its window go through the escape,
/// so every Int32 is encodable.
struct ResidualPrior {
    /// Slot precision: 16 bits for 8-bit images; 20 for 16-bit ones, whose wider scales need a
    /// wider coded window.
    let precision: Int
    /// The support handed to the logistic (the coder cuts it to the window around the mean).
    let support: ClosedRange<Int32>
    /// Cost charged in fitting for an escaped value, in Q16 bits (escape slot plus a raw value).
    let escapeCostQ16: Int64

    init(bitDepth: Int) {
        precision = bitDepth > 8 ? 20 : 16
        support = -(1 << 18)...(1 << 18)
        escapeCostQ16 = Int64(precision + 32) << 16
    }

    @inline(__always)
    func distribution(scaleIndex: Int, meanQ8: Int32) -> DiscretizedLogistic {
        distribution(scaleQ8: ScaleGrid.scaleQ8(scaleIndex), meanQ8: meanQ8)
    }

    /// The prior with the scale already looked up (`ScaleGrid.scaleQ8`), for loops that look it up
    /// once per context instead of once per value.
    @inline(__always)
    func distribution(scaleQ8: Int32, meanQ8: Int32) -> DiscretizedLogistic {
        DiscretizedLogistic(meanQ8: meanQ8, scaleQ8: scaleQ8, support: support, precision: precision)
    }

    @inline(__always)
    func push(_ value: Int32, scaleIndex: Int, meanQ8: Int32, onto stack: inout RansStack) {
        stack.push(escaping: value, distribution(scaleIndex: scaleIndex, meanQ8: meanQ8))
    }

    /// Pushes every residual of `records` with its fitted scale (`scales[group × contexts + context]`),
    /// last record and last value first, so the decoder pops them in the order they were recorded
    /// (both the interlaced and the raster coding).
    func push(_ records: [BandRecord], scales: [UInt8], onto stack: inout RansStack) {
        let k = InterlacedPredictor.contextCount
        for record in records.reversed() {
            for i in record.residuals.indices.reversed() {
                let index = Int(scales[record.group * k + Int(record.contexts[i])])
                push(record.residuals[i], scaleIndex: index, meanQ8: Int32(record.meansQ8[i]), onto: &stack)
            }
        }
    }

    @inline(__always)
    func pop(scaleIndex: Int, meanQ8: Int32, from stack: inout RansStack) -> Int32 {
        stack.pop(escaping: distribution(scaleIndex: scaleIndex, meanQ8: meanQ8))
    }

    @inline(__always)
    func pop(scaleQ8: Int32, meanQ8: Int32, from stack: inout RansStack) -> Int32 {
        stack.pop(escaping: distribution(scaleQ8: scaleQ8, meanQ8: meanQ8))
    }

    /// The Q8 scale of each of `contexts` contexts of `group`, from the header's `scales`
    /// (`scales[group × contexts + context]`), 0 for an unused context (no grid scale is 0).
    static func contextScalesQ8(_ scales: [UInt8], group: Int, contexts: Int) -> [Int32] {
        (0..<contexts).map { k in
            let index = scales[group * contexts + k]
            return index == ImageStreamHeader.unusedScale ? 0 : ScaleGrid.scaleQ8(Int(index))
        }
    }

    /// Code length of `value` in Q16 bits (integer arithmetic; used by the encoder's fitting).
    @inline(__always)
    func costQ16(_ value: Int32, scaleIndex: Int, meanQ8: Int32) -> Int64 {
        Self.costQ16(value, distribution(scaleIndex: scaleIndex, meanQ8: meanQ8))
    }

    /// Code length of `value` under `dist` in Q16 bits: its slots' share, or for a value outside the
    /// coded window the escape slot plus 32 raw bits (`escapeCostQ16` at this prior's precision).
    @inline(__always)
    static func costQ16<D: EscapableDistribution>(_ value: Int32, _ dist: D) -> Int64 {
        guard dist.codedRange.contains(value) else { return Int64(dist.precision + 32) << 16 }
        return Int64(dist.precision) << 16 - fixedLog2Q16(UInt64(dist.interval(of: Int(value)).frequency))
    }
}
