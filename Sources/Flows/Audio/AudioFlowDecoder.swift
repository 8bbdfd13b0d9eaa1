import EntropyCoding

/// The decoder side of `AudioFlowCodec` (sampling: pops in the order the encoder's fields were
/// recorded, and runs each layer's inverse). Every popped field is in range by construction
/// (`popUniform(count:)`), so a corrupt payload decodes to wrong samples — caught by the stack not
/// ending empty or by the chunk's CRC — and never traps. Decoding stops at the first frame that
/// reads below the coded data (`RansStack.hasReadPastData`), which no valid payload does.
struct AudioFlowDecoder {
    var stack: RansStack
    let channelCount: Int
    let frameCount: Int
    let version: AudioFlowCodec.Version

    init(stack: RansStack, channelCount: Int, frameCount: Int, version: AudioFlowCodec.Version) {
        self.stack = stack
        self.channelCount = channelCount
        self.frameCount = frameCount
        self.version = version
    }

    mutating func pop(_ count: Int) -> Int { Int(stack.popUniform(count: UInt64(count))) }

    mutating func run() throws(AudioFlowError) -> [[Int32]] {
        let wasted = (0..<channelCount).map { _ in pop(32) }
        let filters: [AnyResidualFilter] = (0..<channelCount).map { _ in
            switch version {
            case .v1: return pop(2) == 1 ? .wide(WideResidualFilter()) : .off
            case .v2:
                let field = pop(26)
                return field == 0 ? .off : .narrow(SaturatingSignLMS(inputShift: field - 1))
            }
        }
        defer { for filter in filters { if case .narrow(let f) = filter { f.deallocate() } } }
        var codings = [LatentCoding?](repeating: nil, count: ScaleContext.bucketCount)
        let first = pop(ScaleContext.bucketCount)
        let last = first + pop(ScaleContext.bucketCount - first)
        for b in first...last { codings[b] = LatentCoding(scaleQ8: ScaleCode.scaleQ8(pop(ScaleCode.maxCode + 1))) }
        // Buckets outside the sent range never occur in a valid stream; a corrupt one may reach them:
        // give them the nearest sent scale, so decoding goes on and the checks at the end fail.
        for b in 0..<first { codings[b] = codings[first] }
        for b in (last + 1)..<ScaleContext.bucketCount { codings[b] = codings[last] }
        var coding = codings.map { LatentDecoding($0!) }
        defer { for c in coding { c.deallocate() } }

        // The sample loop is specialised for the common filter sets (inlined filter, no dispatch).
        let narrow = filters.compactMap { if case .narrow(let f) = $0 { f } else { nil } }
        if narrow.count == channelCount {
            var f = narrow
            return try decodeSamples(filters: &f, coding: &coding, wasted: wasted)
        }
        if filters.allSatisfy({ if case .off = $0 { true } else { false } }) {
            var f = [NoResidualFilter](repeating: NoResidualFilter(), count: channelCount)
            return try decodeSamples(filters: &f, coding: &coding, wasted: wasted)
        }
        var f = filters
        return try decodeSamples(filters: &f, coding: &coding, wasted: wasted)
    }

    /// Layers 3, 2 and 1 inverted, block by block, popping every latent.
    mutating func decodeSamples<F: ResidualFilter>(filters: inout [F], coding: inout [LatentDecoding],
                                                   wasted: [Int]) throws(AudioFlowError) -> [[Int32]] {
        var x = [[Int32]](repeating: [Int32](repeating: 0, count: frameCount), count: channelCount)
        var contexts = [ScaleContext](repeating: ScaleContext(), count: channelCount)
        // Per channel, the coupled signal of the current block and the history before it, in one
        // buffer; predictor coefficients likewise (most recent sample's weight first).
        let span = AudioFlowCodec.blockLength + AudioFlowCodec.history
        var signal = [Int32](repeating: 0, count: channelCount * span)
        var weights = [Int32](repeating: 0, count: channelCount * LinearPredictor.maxOrder)
        var orders = [Int](repeating: 0, count: channelCount)
        var shifts = [Int](repeating: 0, count: channelCount)
        for range in AudioFlowCodec.blocks(frameCount) {
            let mode = channelCount == 2 ? ChannelLifting(rawValue: pop(4))! : .independent
            for c in 0..<channelCount {
                let order = AudioFlowCodec.orders[pop(AudioFlowCodec.orders.count)]
                orders[c] = order
                shifts[c] = 0
                // Zero coefficients past the order (to a multiple of 4) let the prediction run unrolled.
                for j in order..<LinearPredictor.maxOrder { weights[c * LinearPredictor.maxOrder + j] = 0 }
                guard order > 0 else { continue }
                let p = pop(8) + 8
                shifts[c] = pop(LinearPredictor.maxShift + 1)
                for j in 0..<order { weights[c * LinearPredictor.maxOrder + j] = Int32(pop(1 << p) - (1 << (p - 1))) }
            }
            let start = max(0, range.lowerBound - AudioFlowCodec.history)
            let offset = range.lowerBound - start
            for i in start..<range.lowerBound {  // the history, through this block's coupling
                if channelCount == 2 {
                    let (u, v) = mode.forward(x[0][i], x[1][i])
                    signal[i - start] = u
                    signal[span + i - start] = v
                } else {
                    for c in 0..<channelCount { signal[c * span + i - start] = x[c][i] }
                }
            }
            // Unsafe views for the per-sample loop: no uniqueness checks on the arrays it mutates.
            signal.withUnsafeMutableBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
            coding.withUnsafeMutableBufferPointer { coding in
            contexts.withUnsafeMutableBufferPointer { contexts in
            filters.withUnsafeMutableBufferPointer { filters in
                for i in offset..<(offset + range.count) {
                    for c in 0..<channelCount {
                        let z = coding[contexts[c].bucket].pop(from: &stack)
                        contexts[c].update(z)
                        let e = filters[c].inverse(z)
                        let at = s.baseAddress! + (c * span + i)
                        let coefficients = w.baseAddress! + c * LinearPredictor.maxOrder
                        let mu = i >= LinearPredictor.maxOrder
                            ? LinearPredictor.prediction(UnsafePointer(at), coefficients, paddedOrder: (orders[c] + 3) & ~3,
                                                         shift: shifts[c])
                            : LinearPredictor.prediction(UnsafePointer(at), i, coefficients, order: orders[c], shift: shifts[c])
                        at.pointee = e &+ mu
                    }
                    if stack.hasReadPastData { break }
                }
            }}}}}
            // The encoder only pushes, so a valid payload never makes the decoder read below its data.
            guard !stack.hasReadPastData else { throw .corrupt("coded data ends before the signal does") }
            if channelCount == 2 {  // the coupling undone, over unsafe views of both channels
                var left: [Int32] = [], right: [Int32] = []
                swap(&left, &x[0])
                swap(&right, &x[1])
                left.withUnsafeMutableBufferPointer { l in
                    right.withUnsafeMutableBufferPointer { r in
                        signal.withUnsafeBufferPointer { s in
                            for i in offset..<(offset + range.count) {
                                (l[start &+ i], r[start &+ i]) = mode.inverse(s[i], s[span &+ i])
                            }
                        }
                    }
                }
                swap(&left, &x[0])
                swap(&right, &x[1])
            } else {
                for c in 0..<channelCount {
                    x[c].replaceSubrange((start + offset)..<(start + offset + range.count),
                                         with: signal[(c * span + offset)..<(c * span + offset + range.count)])
                }
            }
        }
        for c in 0..<channelCount where wasted[c] > 0 {
            x[c] = x[c].map { $0 &<< Int32(wasted[c]) }
        }
        return x
    }
}

/// A channel's adaptive filter (layer 4) as the decoder runs it: latent in, residual out.
protocol ResidualFilter {
    mutating func inverse(_ z: Int32) -> Int32
}

extension SaturatingSignLMS: ResidualFilter {}

/// Filter off: the latent is the residual.
struct NoResidualFilter: ResidualFilter {
    @inline(__always) func inverse(_ z: Int32) -> Int32 { z }
}

/// Version 1's filter.
struct WideResidualFilter: ResidualFilter {
    var stages = SignLMS.cascade
    @inline(__always) mutating func inverse(_ z: Int32) -> Int32 { SignLMS.inverse(z, through: &stages) }
}

/// Any channel's filter, for streams whose channels differ (and for version 1).
enum AnyResidualFilter: ResidualFilter {
    case off
    case wide(WideResidualFilter)
    case narrow(SaturatingSignLMS)

    mutating func inverse(_ z: Int32) -> Int32 {
        switch self {
        case .off: return z
        case .wide(var f):
            self = .off  // keeps the stages' array uniquely referenced while it is modified
            let e = f.inverse(z)
            self = .wide(f)
            return e
        case .narrow(var f):
            let e = f.inverse(z)
            self = .narrow(f)
            return e
        }
    }
}
