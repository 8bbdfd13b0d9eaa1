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
        // Per channel: the adaptive filter's field (version 1: off/on; version 2: 0 off, else shift + 1).
        let filterFields = (0..<channelCount).map { _ in pop(version == .v1 ? 2 : 26) }
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

        // The sample loop is specialised per version, with the filter inlined: in version 2 every
        // channel's filter is a `SwitchableNarrowFilter`, whether it is on or off.
        switch version {
        case .v1:
            var f = filterFields.map { $0 == 1 ? WideOrNoFilter.wide(WideResidualFilter()) : .off }
            return try decodeSamples(filters: &f, coding: &coding, wasted: wasted)
        case .v2:
            var f = filterFields.map { SwitchableNarrowFilter(inputShift: $0 == 0 ? nil : $0 - 1) }
            defer { for filter in f { filter.deallocate() } }
            return try decodeSamples(filters: &f, coding: &coding, wasted: wasted)
        }
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
        var latents = [Int32](repeating: 0, count: channelCount * AudioFlowCodec.blockLength)
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
            // Two passes over the block: first every latent (the rANS state and the contexts form one
            // serial chain of dependent loads, which runs faster without the filters' work in between),
            // then layers 4 and 3 per sample. Unsafe views: no uniqueness checks on mutated arrays.
            // The stack is moved into a local for the loop: as a property behind closures it made
            // a store and a load of the rANS state per latent, on the serial chain.
            var local = RansStack()
            swap(&local, &stack)
            latents.withUnsafeMutableBufferPointer { zs in
            coding.withUnsafeMutableBufferPointer { coding in
            contexts.withUnsafeMutableBufferPointer { contexts in
                Self.popLatents(range.count, channelCount: channelCount, from: &local, coding: coding.baseAddress!,
                                contexts: contexts.baseAddress!, into: zs.baseAddress!)
            }}}
            swap(&local, &stack)
            // The encoder only pushes, so a valid payload never makes the decoder read below its data.
            guard !stack.hasReadPastData else { throw .corrupt("coded data ends before the signal does") }
            // Then channel by channel: the predictor's order is the same for the whole loop, so its
            // branches are predicted (interleaving two channels' orders mispredicted them).
            signal.withUnsafeMutableBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
            latents.withUnsafeBufferPointer { zs in
                for c in 0..<channelCount {
                    var filter = filters[c]
                    Self.invertFilterAndPredictor(range.count, at: offset, latents: zs.baseAddress! + c * AudioFlowCodec.blockLength,
                                                  filter: &filter, signal: s.baseAddress! + c * span,
                                                  coefficients: w.baseAddress! + c * LinearPredictor.maxOrder,
                                                  order: orders[c], shift: shifts[c])
                    filters[c] = filter
                }
            }}}
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

extension AudioFlowDecoder {
    /// Pops the latents of `frames` frames, frame by frame, channel by channel, channel `c`'s at
    /// `zs[c · blockLength ..<]`; stops early once the stack reads below its data.
    static func popLatents(_ frames: Int, channelCount: Int, from stack: inout RansStack,
                           coding: UnsafeMutablePointer<LatentDecoding>,
                           contexts: UnsafeMutablePointer<ScaleContext>, into zs: UnsafeMutablePointer<Int32>) {
        for i in 0..<frames {
            for c in 0..<channelCount {
                let z = coding[contexts[c].bucket].pop(from: &stack)
                contexts[c].update(z)
                zs[c &* AudioFlowCodec.blockLength &+ i] = z
            }
            if stack.hasReadPastData { return }
        }
    }
}

extension AudioFlowDecoder {
    /// Layers 4 and 3 inverted for one channel's `frames` latents: `signal[offset + i]` from
    /// `latents[i]`, the predictor reading the samples before it in `signal`.
    @inline(__always)
    static func invertFilterAndPredictor<F: ResidualFilter>(
        _ frames: Int, at offset: Int, latents: UnsafePointer<Int32>, filter: inout F,
        signal: UnsafeMutablePointer<Int32>, coefficients: UnsafePointer<Int32>, order: Int, shift: Int
    ) {
        let paddedOrder = (order + 3) & ~3
        for i in offset..<(offset + frames) {
            let e = filter.inverse(latents[i &- offset])
            let at = signal + i
            let mu = i >= LinearPredictor.maxOrder
                ? LinearPredictor.prediction(UnsafePointer(at), coefficients, paddedOrder: paddedOrder, shift: shift)
                : LinearPredictor.prediction(UnsafePointer(at), i, coefficients, order: order, shift: shift)
            at.pointee = e &+ mu
        }
    }
}

/// A channel's adaptive filter (layer 4) as the decoder runs it: latent in, residual out.
protocol ResidualFilter {
    mutating func inverse(_ z: Int32) -> Int32
}

extension SaturatingSignLMS: ResidualFilter {}

/// Version 2's filter of one channel, on or off: one type for both, so that a stream whose channels
/// differ (one filtered, one not) runs the same specialised loop as any other; the branch goes the
/// same way every sample. The owner calls `deallocate()` once.
struct SwitchableNarrowFilter: ResidualFilter {
    private var filter: SaturatingSignLMS
    private let on: Bool

    /// `inputShift` nil: off, the latent is the residual (the filter is allocated but never run).
    init(inputShift: Int?) {
        filter = SaturatingSignLMS(inputShift: inputShift ?? 0)
        on = inputShift != nil
    }

    @inline(__always) mutating func inverse(_ z: Int32) -> Int32 { on ? filter.inverse(z) : z }

    func deallocate() { filter.deallocate() }
}

/// Version 1's filter.
struct WideResidualFilter: ResidualFilter {
    var stages = SignLMS.cascade
    @inline(__always) mutating func inverse(_ z: Int32) -> Int32 { SignLMS.inverse(z, through: &stages) }
}

/// Version 1's filter of one channel, on or off.
enum WideOrNoFilter: ResidualFilter {
    case off
    case wide(WideResidualFilter)

    mutating func inverse(_ z: Int32) -> Int32 {
        switch self {
        case .off: return z
        case .wide(var f):
            self = .off  // keeps the stages' array uniquely referenced while it is modified
            let e = f.inverse(z)
            self = .wide(f)
            return e
        }
    }
}
