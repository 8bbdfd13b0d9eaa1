import EntropyCoding

/// Receives each decoded block: its frame range and the samples, channel `c` at
/// `c · blockLength ..< c · blockLength + range.count`. Returns false to stop decoding.
typealias BlockSink = (_ range: Range<Int>, _ samples: UnsafeBufferPointer<Int32>) -> Bool

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
    /// Width of the samples before coupling (1...32), as the caller knows it.
    let sampleBits: Int

    init(stack: RansStack, channelCount: Int, frameCount: Int, version: AudioFlowCodec.Version, sampleBits: Int) {
        self.sampleBits = sampleBits
        self.stack = stack
        self.channelCount = channelCount
        self.frameCount = frameCount
        self.version = version
    }

    mutating func pop(_ count: Int) -> Int { Int(stack.popUniform(count: UInt64(count))) }

    /// Decodes every block, handing each to `sink` (see `AudioFlowCodec.decode(_:channelCount:frameCount:version:blocks:)`).
    mutating func run(_ sink: BlockSink) throws(AudioFlowError) {
        let wasted = (0..<channelCount).map { _ in pop(32) }
        // Per channel: the adaptive filter's field (version 1: off/on; versions 2 and 3: 0 off, else shift + 1).
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

        // The sample loop is specialised per version, with the filter inlined: in versions 2 and 3
        // every channel's filter is one type (`SwitchableFilter`), whether it is on or off. The
        // filters of versions 1 and 2 (decode only) live in Legacy/; this switch is their only trace
        // here, once per chunk.
        switch version {
        case .v1:
            var f = filterFields.map { $0 == 1 ? WideOrNoFilter.wide(WideResidualFilter()) : .off }
            try decodeSamples(filters: &f, coding: &coding, wasted: wasted, sink)
        case .v2:
            var f = filterFields.map { SwitchableFilter<SaturatingSignLMS>(inputShift: $0 == 0 ? nil : $0 - 1) }
            defer { for filter in f { filter.deallocate() } }
            try decodeSamples(filters: &f, coding: &coding, wasted: wasted, sink)
        case .v3:
            var f = filterFields.map { SwitchableFilter<ScaledSignLMS<Version3Shape>>(inputShift: $0 == 0 ? nil : $0 - 1) }
            defer { for filter in f { filter.deallocate() } }
            try decodeSamples(filters: &f, coding: &coding, wasted: wasted, sink)
        }
    }

    /// Layers 3, 2 and 1 inverted, block by block, popping every latent.
    /// Only a block's samples and the `history` frames before it are kept (not the whole signal).
    mutating func decodeSamples<F: ResidualFilter>(filters: inout [F], coding: inout [LatentDecoding],
                                                   wasted: [Int], _ sink: BlockSink) throws(AudioFlowError) {
        let history = AudioFlowCodec.history, blockLength = AudioFlowCodec.blockLength
        // Per channel: the decoded block (channel c at c · blockLength), and the `history` frames
        // before the next block (oldest first), both before the wasted bits are shifted back in.
        var block = [Int32](repeating: 0, count: channelCount * blockLength)
        var previous = [Int32](repeating: 0, count: channelCount * history)
        var contexts = [ScaleContext](repeating: ScaleContext(), count: channelCount)
        // Per channel, the coupled signal of the current block and the history before it, in one
        // buffer; predictor coefficients likewise (most recent sample's weight first).
        let span = AudioFlowCodec.blockLength + AudioFlowCodec.history
        var signal = [Int32](repeating: 0, count: channelCount * span)
        var weights = [Int32](repeating: 0, count: channelCount * LinearPredictor.maxOrder)
        var orders = [Int](repeating: 0, count: channelCount)
        // The 16-bit-lane predictor's state (`NarrowPrediction`): the signal split, the coefficients
        // reversed (oldest sample's weight first), when the samples are narrow enough.
        let narrow = sampleBits <= NarrowPrediction.maxSampleBits && NarrowPrediction.isAvailable
        var lo = [Int16](repeating: 0, count: narrow ? channelCount * span : 0)
        var hi = lo
        var reversed = [Int16](repeating: 0, count: channelCount * LinearPredictor.maxOrder)
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
            for c in 0..<channelCount {  // |w| < 2^14 fits Int16
                let base = c * LinearPredictor.maxOrder
                for j in 0..<LinearPredictor.maxOrder {
                    reversed[base + LinearPredictor.maxOrder - 1 - j] = Int16(truncatingIfNeeded: weights[base + j])
                }
            }
            let start = max(0, range.lowerBound - AudioFlowCodec.history)
            let offset = range.lowerBound - start
            for k in 0..<offset {  // the history, through this block's coupling
                let at = history - offset + k
                if channelCount == 2 {
                    let (u, v) = mode.forward(previous[at], previous[history + at])
                    signal[k] = u
                    signal[span + k] = v
                } else {
                    for c in 0..<channelCount { signal[c * span + k] = previous[c * history + at] }
                }
            }
            // Two passes over the block: first every latent (the rANS state and the contexts form one
            // serial chain of dependent loads, which runs faster without the filters' work in between),
            // then layers 4 and 3 per sample. Unsafe views: no uniqueness checks on mutated arrays.
            // The stack is moved into a local for the loop (measured a little faster than the property
            // behind closures; the state still goes through memory per latent, `refill` being a call).
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
            if narrow {
                for c in 0..<channelCount {
                    for k in 0..<offset { (lo[c * span + k], hi[c * span + k]) = NarrowPrediction.split(signal[c * span + k]) }
                }
            }
            // Then channel by channel: the predictor's order is the same for the whole loop, so its
            // branches are predicted (interleaving two channels' orders mispredicted them).
            signal.withUnsafeMutableBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
            latents.withUnsafeBufferPointer { zs in
                for c in 0..<channelCount where narrow {
                    var filter = filters[c]
                    lo.withUnsafeMutableBufferPointer { lo in
                    hi.withUnsafeMutableBufferPointer { hi in
                    reversed.withUnsafeBufferPointer { r in
                        Self.invertFilterAndNarrowPredictor(
                            range.count, at: offset, latents: zs.baseAddress! + c * AudioFlowCodec.blockLength,
                            filter: &filter, signal: s.baseAddress! + c * span, lo: lo.baseAddress! + c * span,
                            hi: hi.baseAddress! + c * span, coefficients: w.baseAddress! + c * LinearPredictor.maxOrder,
                            reversed: r.baseAddress! + c * LinearPredictor.maxOrder, order: orders[c], shift: shifts[c])
                    }}}
                    filters[c] = filter
                }
                for c in 0..<channelCount where !narrow {
                    var filter = filters[c]
                    Self.invertFilterAndPredictor(range.count, at: offset, latents: zs.baseAddress! + c * AudioFlowCodec.blockLength,
                                                  filter: &filter, signal: s.baseAddress! + c * span,
                                                  coefficients: w.baseAddress! + c * LinearPredictor.maxOrder,
                                                  order: orders[c], shift: shifts[c])
                    filters[c] = filter
                }
            }}}
            let count = range.count
            guard Self.finish(count, at: offset, signal: signal, mode: mode, channelCount: channelCount,
                              block: &block, previous: &previous, wasted: wasted, range: range, sink) else {
                throw .corrupt("a decoded block was refused (a sample outside the output's range)")
            }
        }
    }

    /// Undoes the coupling of the block in `signal` into `block`, keeps its last frames in `previous`,
    /// shifts the wasted bits back in and hands the block to `sink` (false: the sink refused it).
    static func finish(_ count: Int, at offset: Int, signal: [Int32], mode: ChannelLifting, channelCount: Int,
                       block: inout [Int32], previous: inout [Int32], wasted: [Int], range: Range<Int>,
                       _ sink: BlockSink) -> Bool {
        let history = AudioFlowCodec.history, blockLength = AudioFlowCodec.blockLength
        let span = blockLength + history
        signal.withUnsafeBufferPointer { s in
        block.withUnsafeMutableBufferPointer { b in
        previous.withUnsafeMutableBufferPointer { p in
            if channelCount == 2 {
                for i in 0..<count {
                    (b[i], b[blockLength &+ i]) = mode.inverse(s[offset &+ i], s[span &+ offset &+ i])
                }
            } else {
                for c in 0..<channelCount {
                    for i in 0..<count { b[c &* blockLength &+ i] = s[c &* span &+ offset &+ i] }
                }
            }
            // The last `history` frames of (previous, block): only a signal's final block is shorter.
            for c in 0..<channelCount {
                let kept = min(count, history)
                for k in 0..<(history - kept) { p[c * history + k] = p[c * history + k + kept] }
                for k in 0..<kept { p[c * history + history - kept + k] = b[c * blockLength + count - kept + k] }
                if wasted[c] > 0 {
                    for i in 0..<count { b[c &* blockLength &+ i] &<<= Int32(wasted[c]) }
                }
            }
        }}}
        return block.withUnsafeBufferPointer { sink(range, $0) }
    }
}

extension AudioFlowDecoder {
    /// Pops the latents of `frames` frames, frame by frame, channel by channel, channel `c`'s at
    /// `zs[c · blockLength ..<]`; stops early once the stack reads below its data.
    @inline(__always)
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
    /// `invertFilterAndPredictor` with `NarrowPrediction`, which also keeps the signal's split in `lo`, `hi`.
    @inline(__always)
    static func invertFilterAndNarrowPredictor<F: ResidualFilter>(
        _ frames: Int, at offset: Int, latents: UnsafePointer<Int32>, filter: inout F,
        signal: UnsafeMutablePointer<Int32>, lo: UnsafeMutablePointer<Int16>, hi: UnsafeMutablePointer<Int16>,
        coefficients: UnsafePointer<Int32>, reversed: UnsafePointer<Int16>, order: Int, shift: Int
    ) {
        let groups = (order + 7) >> 3
        let first = LinearPredictor.maxOrder - 8 * groups  // the reversed coefficients in use
        for i in offset..<(offset + frames) {
            let e = filter.inverse(latents[i &- offset])
            let mu = i >= LinearPredictor.maxOrder
                ? NarrowPrediction.prediction(lo: lo + (i &- 8 &* groups), hi: hi + (i &- 8 &* groups),
                                              reversed + first, groups: groups, shift: shift)
                : LinearPredictor.prediction(UnsafePointer(signal + i), i, coefficients, order: order, shift: shift)
            let x = e &+ mu
            signal[i] = x
            (lo[i], hi[i]) = NarrowPrediction.split(x)
        }
    }

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

/// A filter in 16-bit lanes (version 3's `ScaledSignLMS`; version 2's `SaturatingSignLMS` in Legacy/)
/// that the decoder can switch off.
protocol NarrowAdaptiveFilter: AdaptiveFilter {
    init(inputShift: Int)
    func deallocate()
}

extension ScaledSignLMS: NarrowAdaptiveFilter {}

/// One channel's filter (version 2 or 3), on or off: one type for both, so that a stream whose
/// channels differ (one filtered, one not) runs the same specialised loop as any other; the branch
/// goes the same way every sample. The owner calls `deallocate()` once.
struct SwitchableFilter<Filter: NarrowAdaptiveFilter>: ResidualFilter {
    private var filter: Filter
    private let on: Bool

    /// `inputShift` nil: off, the latent is the residual (the filter is allocated but never run).
    init(inputShift: Int?) {
        filter = Filter(inputShift: inputShift ?? 0)
        on = inputShift != nil
    }

    @inline(__always) mutating func inverse(_ z: Int32) -> Int32 { on ? filter.inverse(z) : z }

    func deallocate() { filter.deallocate() }
}
