import EntropyCoding

/// One uniform field, `value` in `0..<count`, recorded in decoding order and pushed in reverse at the
/// end (a stack codes last in, first out, while the prior's table is only known once every latent is).
struct CodedField {
    var value: UInt32
    var count: UInt32

    static func uniform(_ value: Int, _ count: Int) -> CodedField {
        CodedField(value: UInt32(value), count: UInt32(count))
    }
}

/// The encoder side of `AudioFlowCodec` (inference through the flow, then pushes). It writes
/// `AudioFlowCodec.Version.current` only: older versions are decode-only (Legacy/).
struct AudioFlowEncoder {
    let input: [[Int32]]
    var header: [CodedField] = []
    var contexts: [ScaleContext]
    /// Per bucket: latent count and sum of magnitudes, for fitting the scale table.
    var counts = [UInt64](repeating: 0, count: ScaleContext.bucketCount)
    var magnitudes = [UInt64](repeating: 0, count: ScaleContext.bucketCount)

    init(channels: [[Int32]]) {
        input = channels
        contexts = Array(repeating: ScaleContext(), count: channels.count)
    }

    mutating func run() -> [UInt8] {
        // Layer 1: wasted bits.
        var x = input
        for c in x.indices {
            let ored = x[c].reduce(Int32(0)) { $0 | $1 }
            let w = ored == 0 ? 0 : ored.trailingZeroBitCount
            header.append(.uniform(w, 32))
            if w > 0 { x[c] = x[c].map { $0 >> Int32(w) } }
        }
        let frameCount = x[0].count
        // Layers 2 and 3, block by block; the residuals go straight into one array per channel (the
        // blocks keep only their fields), which bounds peak memory.
        var latents = [[Int32]](repeating: [], count: x.count)
        for c in latents.indices { latents[c].reserveCapacity(frameCount) }
        var blocks: [FittedBlock] = []
        for range in AudioFlowCodec.blocks(frameCount) {
            var block = fitBlock(x, range)
            for c in latents.indices { latents[c].append(contentsOf: block.residuals[c]) }
            block.residuals = []
            blocks.append(block)
        }
        // Layer 4, per channel: the adaptive filter, kept where it lowers the estimated cost. Its
        // state runs across blocks, so it is applied to the channel's whole residual sequence.
        // Filtered in place (no second copy of the channel), and undone by the filter's inverse when
        // it does not pay, which gives back the residuals exactly.
        for c in latents.indices {
            let before = Self.estimatedBits(latents[c])
            header.append(Self.applyFilter(Version3Shape.self, to: &latents[c], cost: before))
        }
        // The prior's contexts, in decoding order (frame by frame, channel by channel).
        var buckets = [[UInt8]](repeating: [UInt8](repeating: 0, count: frameCount), count: x.count)
        for i in 0..<frameCount {
            for c in latents.indices {
                let z = latents[c][i]
                let bucket = contexts[c].bucket
                buckets[c][i] = UInt8(bucket)
                counts[bucket] += 1
                magnitudes[bucket] += UInt64(z.magnitude)
                contexts[c].update(z)
            }
        }
        pushTable()
        let codings = table.map { LatentCoding(scaleQ8: ScaleCode.scaleQ8($0)) }
        // Push everything in the reverse of decoding order: blocks last to first, each block's latents
        // (last frame, last channel first), then its fields; then the header.
        var stack = RansStack()
        for (block, range) in zip(blocks, AudioFlowCodec.blocks(frameCount)).reversed() {
            for i in range.reversed() {
                for c in latents.indices.reversed() { codings[Int(buckets[c][i])].push(latents[c][i], on: &stack) }
            }
            for field in block.fields.reversed() { push(field, on: &stack) }
        }
        for field in header.reversed() { push(field, on: &stack) }
        return stack.bytes
    }

    // MARK: Blocks

    /// A block's coded parameters and its predictors' residuals, per channel.
    struct FittedBlock {
        var fields: [CodedField] = []
        var residuals: [[Int32]] = []
    }

    /// Layers 2 and 3 on one block: the coupling and the predictors, chosen and applied.
    func fitBlock(_ x: [[Int32]], _ range: Range<Int>) -> FittedBlock {
        var block = FittedBlock()
        let start = max(0, range.lowerBound - AudioFlowCodec.history)
        let local = (range.lowerBound - start)..<(range.upperBound - start)
        var signals: [[Int32]]
        var predictors: [LinearPredictor]
        if x.count == 2 {
            // The four couplings share four signals: left, right, mid, side. Fit each once, keep the
            // pair with the smallest estimated cost.
            let (_, lr) = AudioFlowCodec.coupled(x, range, mode: .independent)
            let (_, ms) = AudioFlowCodec.coupled(x, range, mode: .midSide)
            let candidates = [lr[0], lr[1], ms[0], ms[1]]
            let fits = candidates.map { choosePredictor($0, local) }
            let pairs: [(ChannelLifting, Int, Int)] = [(.independent, 0, 1), (.leftSide, 0, 3),
                                                       (.rightSide, 1, 3), (.midSide, 2, 3)]
            let (mode, a, b) = pairs.min { fits[$0.1].cost + fits[$0.2].cost < fits[$1.1].cost + fits[$1.2].cost }!
            block.fields.append(.uniform(mode.rawValue, 4))
            signals = [candidates[a], candidates[b]]
            predictors = [fits[a].predictor, fits[b].predictor]
        } else {
            signals = x.map { Array($0[start..<range.upperBound]) }
            predictors = signals.map { choosePredictor($0, local).predictor }
        }
        var latents: [[Int32]] = []
        for (s, predictor) in zip(signals, predictors) {
            let index = AudioFlowCodec.orders.firstIndex(of: predictor.order)!
            block.fields.append(.uniform(index, AudioFlowCodec.orders.count))
            if predictor.order > 0 {
                let p = Self.precision(of: predictor)
                block.fields.append(.uniform(p - 8, 8))
                block.fields.append(.uniform(predictor.shift, LinearPredictor.maxShift + 1))
                for c in predictor.coefficients { block.fields.append(.uniform(Int(c) + (1 << (p - 1)), 1 << p)) }
            }
            var z: [Int32] = []
            z.reserveCapacity(local.count)
            predictor.forward(s, range: local, into: &z)
            latents.append(z)
        }
        block.residuals = latents
        return block
    }

    /// Smallest precision (8...15) that holds every coefficient.
    static func precision(of predictor: LinearPredictor) -> Int {
        let peak = predictor.coefficients.map { Int($0.magnitude) }.max() ?? 0
        var p = 8
        while peak >= (1 << (p - 1)) { p += 1 }
        return p
    }

    /// The predictor among the fitted orders with the smallest estimated cost: latents by their
    /// `log2(|z| + 1)` sum, coefficients by their bits.
    ///
    /// Every candidate (each order at full precision, then coarser coefficients for the best order)
    /// is first estimated on every `sampling`-th latent only (exact residuals there: forward
    /// prediction needs no recursion), and the `finalists` cheapest are measured on the whole block.
    /// The returned cost is always a whole-block one, so the callers' comparisons stay fair.
    func choosePredictor(_ s: [Int32], _ local: Range<Int>) -> (predictor: LinearPredictor, cost: UInt64) {
        let fitted = PredictorFitter.solve(s[local], maxOrder: LinearPredictor.maxOrder)
        let sampling = local.count >= 1024 ? Self.sampling : 1
        func coefficientBits(_ p: LinearPredictor) -> UInt64 {
            p.order == 0 ? 0 : UInt64(16 * (8 + Self.precision(of: p) * p.order))
        }
        func estimate(_ p: LinearPredictor) -> UInt64 {
            UInt64(sampling) * Self.estimatedBits(p, s, local, every: sampling) + coefficientBits(p)
        }
        var candidates: [(predictor: LinearPredictor, cost: UInt64)] = [(.zero, estimate(.zero))]
        func consider(_ order: Int, _ precision: Int) {
            let candidate = PredictorFitter.quantize(fitted[order - 1], precision: precision)
            guard candidate.order == order else { return }
            candidates.append((candidate, estimate(candidate)))
        }
        for order in AudioFlowCodec.orders where order > 0 && order <= fitted.count { consider(order, 15) }
        let bestOrder = candidates.min { $0.cost < $1.cost }!.predictor.order
        if bestOrder > 0 { for precision in [11, 12, 13, 14] { consider(bestOrder, precision) } }
        guard sampling > 1 else { return candidates.min { $0.cost < $1.cost }! }
        var best = LinearPredictor.zero
        var bestCost = UInt64.max
        for (candidate, _) in candidates.sorted(by: { $0.cost < $1.cost }).prefix(Self.finalists) {
            let cost = Self.estimatedBits(candidate, s, local) + coefficientBits(candidate)
            if cost < bestCost { bestCost = cost; best = candidate }
        }
        return (best, bestCost)
    }

    /// `choosePredictor`'s first pass looks at one latent in `sampling`, then measures `finalists`
    /// candidates on every latent.
    static let sampling = 4
    static let finalists = 2

    /// Sum over the block (every `step`-th latent) of `log2(|z| + 1)`, Q4, for the predictor's latents `z`.
    static func estimatedBits(_ predictor: LinearPredictor, _ s: [Int32], _ local: Range<Int>, every step: Int = 1) -> UInt64 {
        var total: UInt64 = 0
        s.withUnsafeBufferPointer { sp in
            predictor.coefficients.withUnsafeBufferPointer { c in
                guard let x = sp.baseAddress, let c = c.baseAddress else {  // order 0 predicts 0
                    for i in stride(from: local.lowerBound, to: local.upperBound, by: step) { total &+= log2Q4(sp[i]) }
                    return
                }
                let order = predictor.order, shift = predictor.shift
                // Coefficients zero-padded to a multiple of 4, for the unrolled prediction once every
                // sample it reads exists (the same μ: the decoder's form).
                let padded = (order + 3) & ~3
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: LinearPredictor.maxOrder) { buffer in
                    let w = buffer.baseAddress!
                    w.initialize(repeating: 0, count: LinearPredictor.maxOrder)
                    for j in 0..<order { w[j] = c[j] }
                    for i in stride(from: local.lowerBound, to: local.upperBound, by: step) {
                        let mu = i >= padded
                            ? LinearPredictor.prediction(x + i, UnsafePointer(w), paddedOrder: padded, shift: shift)
                            : LinearPredictor.prediction(x + i, i, c, order: order, shift: shift)
                        total &+= log2Q4(sp[i] &- mu)
                    }
                }
            }
        }
        return total
    }

    /// Replaces every value `v` of `values` by `f(v)`, in order; returns `estimatedBits` of the result.
    static func mapInPlace(_ values: inout [Int32], _ f: (Int32) -> Int32) -> UInt64 {
        var total: UInt64 = 0
        values.withUnsafeMutableBufferPointer { v in
            for i in v.indices {
                v[i] = f(v[i])
                total &+= log2Q4(v[i])
            }
        }
        return total
    }

    /// Runs the current version's filter over `e` in place and keeps it when it lowers `cost` (the estimate of
    /// `e`), else undoes it; returns its field (0 off, else input shift + 1).
    static func applyFilter<Shape: ScaledLMSShape>(_: Shape.Type, to e: inout [Int32], cost: UInt64) -> CodedField {
        let shift = inputShift(e)
        var filter = ScaledSignLMS<Shape>(inputShift: shift)
        defer { filter.deallocate() }
        if mapInPlace(&e, { filter.forward($0) }) < cost { return .uniform(shift + 1, 26) }
        var undo = ScaledSignLMS<Shape>(inputShift: shift)
        defer { undo.deallocate() }
        _ = mapInPlace(&e) { undo.inverse($0) }
        return .uniform(0, 26)
    }

    /// An adaptive filter's input shift for residuals `e`: from their mean magnitude.
    static func inputShift(_ e: [Int32]) -> Int {
        let count = UInt64(max(e.count, 1))
        let mean = e.reduce(UInt64(0)) { $0 &+ UInt64($1.magnitude) } / count
        return LMSLanes.inputShift(meanMagnitude: mean)
    }

    /// Sum of `log2(|z| + 1)`, Q4.
    static func estimatedBits(_ z: [Int32]) -> UInt64 { z.reduce(0) { $0 &+ log2Q4($1) } }

    /// `log2(|z| + 1)` in Q4: the octave and the four bits below the leading one.
    @inline(__always)
    static func log2Q4(_ z: Int32) -> UInt64 {
        let m = UInt64(z.magnitude) + 1
        let top = 63 - m.leadingZeroBitCount
        let fraction = top >= 4 ? (m >> UInt64(top - 4)) & 15 : (m << UInt64(4 - top)) & 15
        return UInt64(top) << 4 | fraction
    }

    // MARK: Prior

    /// Fits one scale per used bucket (logistic scale ≈ mean |z| / ln 4) and records the table.
    mutating func pushTable() {
        let used = counts.indices.filter { counts[$0] > 0 }
        let first = used.first ?? 0
        let last = used.last ?? 0
        header.append(.uniform(first, ScaleContext.bucketCount))
        header.append(.uniform(last - first, ScaleContext.bucketCount - first))
        var code = 0
        for b in first...last {
            if counts[b] > 0 {
                // 256 / ln 4 = 184.66; the + 1/2 count rounds.
                code = ScaleCode.code(nearest: (magnitudes[b] * 185 + counts[b] / 2) / counts[b])
            }
            table[b] = code
            header.append(.uniform(code, ScaleCode.maxCode + 1))
        }
    }

    var table = [Int](repeating: 0, count: ScaleContext.bucketCount)

    func push(_ field: CodedField, on stack: inout RansStack) {
        stack.pushUniform(UInt64(field.value), count: UInt64(field.count))
    }
}
