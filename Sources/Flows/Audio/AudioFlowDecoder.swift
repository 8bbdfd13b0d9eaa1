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

    init(stack: RansStack, channelCount: Int, frameCount: Int) {
        self.stack = stack
        self.channelCount = channelCount
        self.frameCount = frameCount
    }

    mutating func pop(_ count: Int) -> Int { Int(stack.popUniform(count: UInt64(count))) }

    mutating func run() throws(AudioFlowError) -> [[Int32]] {
        let wasted = (0..<channelCount).map { _ in pop(32) }
        var filters = (0..<channelCount).map { _ in pop(2) == 1 ? SignLMS.cascade : [] }
        var codings = [LatentCoding?](repeating: nil, count: ScaleContext.bucketCount)
        let first = pop(ScaleContext.bucketCount)
        let last = first + pop(ScaleContext.bucketCount - first)
        for b in first...last { codings[b] = LatentCoding(scaleQ8: ScaleCode.scaleQ8(pop(ScaleCode.maxCode + 1))) }
        // Buckets outside the sent range never occur in a valid stream; a corrupt one may reach them:
        // give them the nearest sent scale, so decoding goes on and the checks at the end fail.
        for b in 0..<first { codings[b] = codings[first] }
        for b in (last + 1)..<ScaleContext.bucketCount { codings[b] = codings[last] }
        let coding = codings.map { $0! }

        var x = [[Int32]](repeating: [Int32](repeating: 0, count: frameCount), count: channelCount)
        var contexts = [ScaleContext](repeating: ScaleContext(), count: channelCount)
        for range in AudioFlowCodec.blocks(frameCount) {
            let mode = channelCount == 2 ? ChannelLifting(rawValue: pop(4))! : .independent
            var predictors: [LinearPredictor] = []
            for _ in 0..<channelCount {
                let order = AudioFlowCodec.orders[pop(AudioFlowCodec.orders.count)]
                guard order > 0 else { predictors.append(.zero); continue }
                let p = pop(8) + 8
                let shift = pop(LinearPredictor.maxShift + 1)
                let coefficients = (0..<order).map { _ in Int32(pop(1 << p) - (1 << (p - 1))) }
                predictors.append(LinearPredictor(coefficients: coefficients, shift: shift))
            }
            var (start, s) = AudioFlowCodec.coupled(x, range, mode: mode)
            let offset = range.lowerBound - start
            for i in offset..<(offset + range.count) {
                for c in 0..<channelCount {
                    let z = coding[contexts[c].bucket].pop(from: &stack)
                    contexts[c].update(z)
                    let mu = s[c].withUnsafeBufferPointer { predictors[c].prediction($0, at: i) }
                    s[c][i] = SignLMS.inverse(z, through: &filters[c]) &+ mu
                }
                // The encoder only pushes, so a valid payload never makes the decoder read below its data.
                guard !stack.hasReadPastData else { throw .corrupt("coded data ends before the signal does") }
            }
            for i in offset..<(offset + range.count) {
                if channelCount == 2 {
                    let (l, r) = mode.inverse(s[0][i], s[1][i])
                    x[0][start + i] = l
                    x[1][start + i] = r
                } else {
                    for c in 0..<channelCount { x[c][start + i] = s[c][i] }
                }
            }
        }
        for c in 0..<channelCount where wasted[c] > 0 {
            x[c] = x[c].map { $0 &<< Int32(wasted[c]) }
        }
        return x
    }
}
