internal import CKernels
import EntropyCoding

extension LearnedRasterCoder {
    /// The encoder: fits the side information (refit, then scale offsets) in two passes of `run`
    /// and pushes every residual. Returns the side information and the stack. `refitEverywhere`
    /// keeps every refit that solves, paying or not (tests use it to pin the refit's decoding).
    static func encode(_ planes: [Plane], model: UInt8 = RasterNetwork.latestModel, shift: Int32, prior: ResidualPrior,
                       refitEverywhere: Bool = false) throws(FlowsError) -> (side: LearnedRasterSide, stack: RansStack) {
        var side = LearnedRasterSide.neutral(channels: planes.count, model: model)
        if model >= 2 { side.matches = MatchSearch.offsets(planes) }
        let network = side.network
        let prior = LearnedResidualPrior(prior: prior, shift: shift)
        var scratch = planes
        var statistics = RefitStatistics(groups: planes.count * LearnedRasterSide.refitClasses,
                                         dimension: MeanRefit.coefficientCount(hidden: network.hidden, inputs: network.inputs),
                                         hidden: network.hidden, shift: shift, samples: planes.map { $0.samples.count }, prior: prior)
        try run(&scratch, network: network, side: side, shift: shift, visitor: &statistics)
        side.refits = statistics.refits(everywhere: refitEverywhere)

        scratch = planes
        var recorder = Recorder(capacity: planes.reduce(0) { $0 + $1.samples.count })
        try run(&scratch, network: network, side: side, shift: shift, visitor: &recorder)
        side.bucketOffsets = recorder.fitOffsets(channels: planes.count, perBucket: side.offsetsPerBucket, prior: prior)

        var stack = RansStack()
        for k in recorder.residuals.indices.reversed() {
            prior.push(recorder.residuals[k], fractionQ8: Int32(recorder.fractions[k]), shape: recorder.shapes[k],
                       adjustment: side.adjustment(bucket: Int(recorder.buckets[k]), channel: Int(recorder.channels[k])), onto: &stack)
        }
        return (side, stack)
    }

    /// The decoder: pops the planes (`width × height`, `channels`) in `run`'s order.
    static func decode(_ stack: inout RansStack, width: Int, height: Int, channels: Int,
                       side: LearnedRasterSide, shift: Int32, prior: ResidualPrior, valueLimit: Int32) throws(FlowsError) -> [Plane] {
        var planes = [Plane](repeating: Plane(width: width, height: height, samples: [Int32](repeating: 0, count: width * height)),
                             count: channels)
        var popper = Popper(stack: stack, side: side, prior: LearnedResidualPrior(prior: prior, shift: shift), valueLimit: valueLimit)
        try run(&planes, network: side.network, side: side, shift: shift, visitor: &popper)
        stack = popper.stack
        return planes
    }

    /// Pops each value under the prior `run` describes.
    struct Popper: Visitor {
        var stack: RansStack
        let side: LearnedRasterSide
        let prior: LearnedResidualPrior
        let valueLimit: Int32

        @inline(__always) func wants(channel _: Int) -> Bool { true }

        @inline(__always)
        mutating func visit(_ pixel: Pixel, value _: Int32) throws(FlowsError) -> Int32 {
            let t = roundQ8(pixel.meanQ8)
            let r = prior.pop(fractionQ8: pixel.meanQ8 &- t << 8, shape: pixel.shape,
                              adjustment: side.adjustment(bucket: pixel.bucket, channel: pixel.channel), from: &stack)
            // The encoder only pushes, so a valid stream never makes the decoder read below its data.
            guard !stack.hasReadPastData else { throw FlowsError.truncated("the coded data ends before the image does") }
            let v = r &+ t
            guard r.magnitude <= UInt32(2 * valueLimit), v.magnitude <= UInt32(valueLimit) else {
                throw FlowsError.corrupt("decoded value out of range")
            }
            return v
        }
    }

    /// Records what the push needs: the residual, the mean's fraction, the prior's shape, the bucket.
    struct Recorder: Visitor {
        var residuals: [Int32] = [], fractions: [Int16] = [], shapes: [PriorShape] = []
        var buckets: [UInt8] = [], channels: [UInt8] = []

        init(capacity: Int) {
            residuals.reserveCapacity(capacity); fractions.reserveCapacity(capacity)
            shapes.reserveCapacity(capacity); buckets.reserveCapacity(capacity); channels.reserveCapacity(capacity)
        }

        func wants(channel _: Int) -> Bool { true }

        mutating func visit(_ pixel: Pixel, value: Int32) throws(FlowsError) -> Int32 {
            let t = roundQ8(pixel.meanQ8)
            residuals.append(value &- t)
            fractions.append(Int16(pixel.meanQ8 &- t << 8))
            shapes.append(pixel.shape)
            buckets.append(UInt8(pixel.bucket))
            channels.append(UInt8(pixel.channel))
            return value
        }

        /// What the cost of one sampled residual needs, gathered so that the search reads it in order.
        struct Sample {
            var residual: Int32, fractionQ8: Int32, shape: PriorShape
        }

        /// Per (channel, bucket), the offsets (`perBucket` of them: `BucketAdjustment`) that minimise
        /// the coded size of (a sample of) its residuals: each in turn, a walk from 0 while the cost
        /// falls (the cost is unimodal in each).
        func fitOffsets(channels count: Int, perBucket: Int, prior: LearnedResidualPrior) -> [Int8] {
            let buckets = LearnedRasterSide.buckets
            @inline(__always) func group(_ k: Int) -> Int { Int(channels[k]) &* buckets &+ Int(self.buckets[k]) }
            // Each group's sample is every `stride`-th of its members, in coding order.
            var sizes = [Int](repeating: 0, count: count * buckets)
            for k in residuals.indices { sizes[group(k)] &+= 1 }
            let strides = sizes.map { max(1, $0 / 4096) }
            var samples = sizes.indices.map { g in
                var sample = [Sample]()
                sample.reserveCapacity((sizes[g] + strides[g] - 1) / strides[g])
                return sample
            }
            var seen = [Int](repeating: 0, count: sizes.count)
            for k in residuals.indices {
                let g = group(k)
                if seen[g] % strides[g] == 0 {
                    samples[g].append(Sample(residual: residuals[k], fractionQ8: Int32(fractions[k]), shape: shapes[k]))
                }
                seen[g] &+= 1
            }
            return samples.flatMap { sample -> [Int8] in
                var offsets = [Int](repeating: 0, count: perBucket)
                guard !sample.isEmpty else { return offsets.map { Int8($0) } }
                func cost(_ o: [Int]) -> Int64 {
                    let adjustment = BucketAdjustment(scale1: o[0], scale2: o.count > 1 ? o[1] : 0, logitQuarters: o.count > 2 ? o[2] : 0)
                    return sample.reduce(0) { sum, s in
                        sum + prior.costQ16(s.residual, fractionQ8: s.fractionQ8, shape: s.shape, adjustment: adjustment)
                    }
                }
                let limit = Int(LearnedRasterSide.offsetLimit)
                var bestCost = cost(offsets)
                for j in 0..<perBucket {
                    var moved = false
                    // After steps up, a step down would return to a dearer offset: only try it if none was taken.
                    for direction in [1, -1] where !moved {
                        var trial = offsets
                        trial[j] += direction
                        while abs(trial[j]) <= limit {
                            let c = cost(trial)
                            guard c < bestCost else { break }
                            (offsets, bestCost, moved) = (trial, c, true)
                            trial[j] += direction
                        }
                    }
                }
                return offsets.map { Int8($0) }
            }
        }
    }

    /// Accumulates, per channel, the normal equations of the mean refit, in integers: the inputs
    /// in Q8 (hidden as is, features × 4, the constant 256), the target (value minus the network's
    /// mean) in Q8 of 8-bit sample units, clamped to ±4096 samples. Large channels are sampled
    /// (every `stride`-th sub-pixel) to bound the encoder's cost. Inputs are below 2^14 and the
    /// target below 2^20, over fewer than 2^18 samples: the sums stay below 2^53.
    ///
    /// The Gram matrix is a large part of the encoder's work: its inputs fit in Int16, so each group keeps
    /// `batch` samples' inputs (row per input) and adds them as Int16 dot products summed in Int32
    /// (`fz_gram_accumulate`, in C so that it vectorises in debug builds too), then into Int64. The
    /// batch keeps the features unscaled (±2048; their ×4 is applied to the Int64 sums), so products
    /// stay within 4095² and 128 of them below 2^31.
    struct RefitStatistics: Visitor {
        let dimension: Int, hidden: Int, shift: Int32
        /// The features the network reads: the refit's inputs after the hidden layer.
        var featureCount: Int { dimension &- hidden &- 1 }
        var gram: [[Int64]], moments: [[Int64]], counts: [Int]
        let strides: [Int]
        var seen: [Int]
        /// Per group, the inputs of up to `batch` samples not yet in `gram`: `[i * batch + sample]`.
        var pending: [[Int16]], pendingCount: [Int]
        static let batch = 128   // at most 128: `fz_gram_accumulate`'s Int32 sums
        /// Per input, the factor to Q8 that the batch leaves out: 4 for the features, else 1.
        let inputScales: [Int8]
        /// Which of `fz_gram_accumulate`'s kernels sums the batches (all give the same sums; tests try each).
        var kernel = RasterNetwork.bestKernel
        /// Refit groups with fewer sub-pixels keep the network's mean: the coefficients (115 bytes)
        /// would cost more than they save.
        static let minimumSamples = 1 << 12
        static let sampleTarget = 1 << 17
        /// Per group, a uniform sample of what the refit is judged on (`Judged`): its exact code length
        /// with and without the refit, under the network's own prior. Least squares is pulled by the
        /// outliers of flat and drawn images, where a refit that lowers the squared error could make
        /// the stream 2-4 % bigger.
        let prior: LearnedResidualPrior
        var judged: [[Judged]], arrivals: [Int]
        /// Σ target² per group (Q16), for the refit's estimated gain.
        var energy: [Int64]
        var picker = SplitMix64(seed: 0x5EED)
        static let judgedCount = 2048

        /// A sub-pixel the refit is judged on: its value, the network's mean and prior, and the refit's inputs.
        struct Judged {
            var value: Int32, networkMeanQ8: Int64, shape: PriorShape
            var inputs: [Int16]
        }

        init(groups: Int, dimension: Int, hidden: Int, shift: Int32, samples: [Int], prior: LearnedResidualPrior) {
            self.prior = prior
            judged = [[Judged]](repeating: [], count: groups)
            arrivals = [Int](repeating: 0, count: groups)
            energy = [Int64](repeating: 0, count: groups)
            self.dimension = dimension
            self.hidden = hidden
            self.shift = shift
            gram = [[Int64]](repeating: [Int64](repeating: 0, count: dimension * dimension), count: groups)
            moments = [[Int64]](repeating: [Int64](repeating: 0, count: dimension), count: groups)
            counts = [Int](repeating: 0, count: groups)
            strides = samples.map { max(1, $0 / Self.sampleTarget) }
            seen = [Int](repeating: 0, count: samples.count)
            pending = [[Int16]](repeating: [Int16](repeating: 0, count: dimension * Self.batch), count: groups)
            inputScales = (0..<dimension).map { $0 >= hidden && $0 < dimension - 1 ? 4 : 1 }
            pendingCount = [Int](repeating: 0, count: groups)
        }

        /// Every `stride`-th sub-pixel of a channel: the network runs only for the sample.
        mutating func wants(channel c: Int) -> Bool {
            seen[c] += 1
            return seen[c] % strides[c] == 0
        }

        mutating func visit(_ pixel: Pixel, value: Int32) throws(FlowsError) -> Int32 {
            let c = pixel.refitGroup, d = dimension, n = pendingCount[c], b = Self.batch, features = featureCount
            let target = min(max((Int64(value) << 8 - pixel.networkMeanQ8) >> Int64(shift), -(1 << 20)), 1 << 20)
            pending[c].withUnsafeMutableBufferPointer { u in
                moments[c].withUnsafeMutableBufferPointer { m in
                    // Hidden values are within 0...4095, features within ±2048 (×4: ±8192).
                    for k in 0..<hidden {
                        u[k * b + n] = pixel.hidden[k]
                        m[k] &+= Int64(pixel.hidden[k]) &* target
                    }
                    for k in 0..<features {
                        let x = pixel.features[k]
                        u[(hidden + k) * b + n] = x
                        m[hidden + k] &+= 4 &* Int64(x) &* target
                    }
                    u[(d - 1) * b + n] = 256
                    m[d - 1] &+= 256 &* target
                }
            }
            energy[c] &+= target &* target
            counts[c] += 1
            pendingCount[c] = n + 1
            // Reservoir sampling (deterministic): every sub-pixel seen has the same chance to be judged.
            let arrival = arrivals[c]
            arrivals[c] += 1
            let slot = arrival < Self.judgedCount ? arrival : Int(picker.next() % UInt64(arrival + 1))
            if slot < Self.judgedCount {
                let inputs = (0..<hidden).map { pixel.hidden[$0] } + (0..<featureCount).map { pixel.features[$0] }
                let sample = Judged(value: value, networkMeanQ8: pixel.networkMeanQ8, shape: pixel.shape, inputs: inputs)
                if slot < judged[c].count { judged[c][slot] = sample } else { judged[c].append(sample) }
            }
            if n + 1 == b { flush(c) }
            return value
        }

        /// Adds group `c`'s pending samples to its Gram matrix (upper triangle).
        mutating func flush(_ c: Int) {
            let d = dimension, b = Self.batch, n = pendingCount[c]
            guard n > 0 else { return }
            // A part batch's empty columns add nothing.
            if n < b { for i in 0..<d { for k in n..<b { pending[c][i * b + k] = 0 } } }
            pending[c].withUnsafeBufferPointer { u in
                inputScales.withUnsafeBufferPointer { scales in
                    gram[c].withUnsafeMutableBufferPointer { g in
                        fz_gram_accumulate(u.baseAddress!, Int32(d), Int32(b), scales.baseAddress!, g.baseAddress!, kernel)
                    }
                }
            }
            pendingCount[c] = 0
        }

        /// Whether `refit` shortens the code of the judged sample of group `c`. The Gaussian estimate
        /// (`pays`) decides first; this vetoes refits that its outliers mislead. On its own, the
        /// sample's noise dropped refits that paid on a validation photo (+0.5 %).
        func savesOnSample(_ refit: MeanRefit, group c: Int) -> Bool {
            let sample = judged[c]
            guard !sample.isEmpty else { return false }
            let meanLimit = Int64(1) << 26
            let none = BucketAdjustment(scale1: 0, scale2: 0, logitQuarters: 0)
            @inline(__always) func cost(_ j: Judged, correctionQ8: Int64) -> Int64 {
                let mean = min(max(j.networkMeanQ8 &+ (correctionQ8 << Int64(shift)), -meanLimit), meanLimit)
                let t = roundQ8(Int32(mean))
                return prior.costQ16(j.value &- t, fractionQ8: Int32(mean) &- t << 8, shape: j.shape, adjustment: none)
            }
            var saved: Int64 = 0
            for j in sample {
                let correction = j.inputs.withUnsafeBufferPointer { u in
                    refit.correctionQ8(hidden: u.baseAddress!, features: u.baseAddress! + hidden, hiddenCount: hidden, featureCount: featureCount)
                }
                saved &+= cost(j, correctionQ8: 0) &- cost(j, correctionQ8: correction)
            }
            return saved > 0
        }

        /// Whether the refit saves clearly more than its coefficients cost: under a Gaussian view of
        /// the residuals, `pixels / 2 · log2(E / (E − βᵀm))` bits, against twice the coefficients'
        /// bytes. `energy` is the mean squared target (Q16), `rhs` the mean of input × target (Q16),
        /// `beta` Q16, so βᵀm is Q32.
        func pays(beta: [Int64], rhs: [Int64], energy: Int64, pixels: Int) -> Bool {
            var explained: Int64 = 0
            for (b, m) in zip(beta, rhs) {
                let (p, o1) = b.multipliedReportingOverflow(by: m)
                let (e, o2) = explained.addingReportingOverflow(p)
                guard !o1, !o2 else { return false }
                explained = e
            }
            let remaining = energy - explained >> 16
            guard energy > 0, remaining > 0, remaining < energy else { return false }
            let gainQ16 = fixedLog2Q16(UInt64(energy)) - fixedLog2Q16(UInt64(remaining))   // below 64 << 16
            let savedBits = (Int64(pixels) * gainQ16) >> 17
            let costBits = Int64(8 * (2 * dimension + 1))
            return savedBits > 2 * costBits
        }

        /// The quantized least-squares coefficients per refit group (ridge-regularised towards the
        /// network's own mean), or `MeanRefit.none` for small groups or a failed solve.
        mutating func refits(everywhere: Bool = false) -> [MeanRefit] {
            for c in counts.indices { flush(c) }
            return (0..<counts.count).map { c in
                let n = Int64(counts[c])
                let total = counts[c] * strides[c / LearnedRasterSide.refitClasses]
                guard n > 0, total >= Self.minimumSamples else { return .none }
                let rhs = moments[c].map { $0 / n }
                guard let beta = FixedPointLeastSquares.solve(gram: gram[c].map { $0 / n }, rhs: rhs, dimension: dimension),
                      everywhere || pays(beta: beta, rhs: rhs, energy: energy[c] / n, pixels: total) else { return .none }
                // β is Q16 (correction per unit of a Q8 input); the decoder's inputs are the hidden
                // layer (×1), the features (×4 to Q8), the constant 256 (×1).
                let scales: [Int64] = (0..<dimension).map { k in k >= hidden && k < dimension - 1 ? 4 : 1 }
                let scaled = zip(beta, scales).map { $0 * $1 }
                let largest = scaled.map { $0.magnitude }.max() ?? 0
                guard largest > 0 else { return .none }
                // The decoder sums the hidden (≤ 4095) and feature (≤ 2048) products in Int32;
                // rounding adds under 2^17 to that reach.
                let reach = (0..<dimension - 1).reduce(UInt64(0)) { $0 + scaled[$1].magnitude * ($1 < hidden ? 4095 : 2048) }
                var shift = Int(MeanRefit.maxShift)
                // Written as divisions of the limits, so that no shift can lose bits.
                while shift > 0 && (largest > (UInt64(32767) << 16) >> UInt64(shift)
                                    || reach >= (UInt64((1 << 31) - (1 << 17)) << 16) >> UInt64(shift)) {
                    shift -= 1
                }
                guard shift > 0 else { return .none }
                let coefficients = scaled.map { Int16(truncatingIfNeeded: (($0 << Int64(shift)) + (1 << 15)) >> 16) }
                let refit = MeanRefit(shift: UInt8(shift), coefficients: coefficients)
                return everywhere || savesOnSample(refit, group: c) ? refit : .none
            }
        }
    }
}

/// Ridge-regularised least squares in Int64 fixed point (Cholesky): the encoder's mean refit
/// without floating point, so the encoder's choice is the same integers on every machine.
enum FixedPointLeastSquares {
    /// Solves `(G + λI) β = m` for `β` in Q16, where `gram` holds G's upper triangle (row-major,
    /// `dimension²`; the mean of products of Q8 inputs, so Q16, each below 2^29) and `rhs` the
    /// mean of input × target (Q16, below 2^35). λ is 1/1024 of G's mean diagonal (at least 1).
    /// Nil when the system is not positive definite.
    static func solve(gram: [Int64], rhs: [Int64], dimension d: Int) -> [Int64]? {
        guard gram.count == d * d, rhs.count == d, d > 0,
              gram.allSatisfy({ $0.magnitude < 1 << 45 }), rhs.allSatisfy({ $0.magnitude < 1 << 46 }) else { return nil }
        var trace: Int64 = 0
        for i in 0..<d { trace += gram[i * d + i] }
        let ridge = max(1, trace / Int64(d) / 1024)
        // Work in Q32: a below 2^45, L in Q16 below 2^23, products below 2^46.
        var a = [Int64](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                let v = (gram[i * d + j] + (i == j ? ridge : 0)) << 16
                a[i * d + j] = v
                a[j * d + i] = v
            }
        }
        var l = [Int64](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for k in 0..<j { guard let t = subtractProduct(s, l[i * d + k], l[j * d + k]) else { return nil }; s = t }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * d + i] = Int64(isqrt(UInt64(s)))
                    guard l[i * d + i] > 0 else { return nil }
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        // L y = m (Q32 / Q16 = Q16), then Lᵀ β = y (y in Q32 / Q16 = Q16).
        var y = [Int64](repeating: 0, count: d)
        for i in 0..<d {
            var s = rhs[i] << 16
            for k in 0..<i { guard let t = subtractProduct(s, l[i * d + k], y[k]) else { return nil }; s = t }
            y[i] = s / l[i * d + i]
        }
        var beta = [Int64](repeating: 0, count: d)
        for i in stride(from: d - 1, through: 0, by: -1) {
            guard y[i].magnitude < 1 << 46 else { return nil }
            var s = y[i] << 16
            for k in (i + 1)..<d { guard let t = subtractProduct(s, l[k * d + i], beta[k]) else { return nil }; s = t }
            beta[i] = s / l[i * d + i]
        }
        return beta
    }

    /// `s − a·b`, or nil if it does not fit (a system so ill-conditioned is not worth refitting).
    @inline(__always)
    static func subtractProduct(_ s: Int64, _ a: Int64, _ b: Int64) -> Int64? {
        let (p, o1) = a.multipliedReportingOverflow(by: b)
        let (r, o2) = s.subtractingReportingOverflow(p)
        return o1 || o2 ? nil : r
    }

    /// ⌊√x⌋ by Newton's method on integers.
    static func isqrt(_ x: UInt64) -> UInt64 {
        guard x > 1 else { return x }
        var r = UInt64(1) << ((64 - x.leadingZeroBitCount + 1) / 2)
        while true {
            let next = (r + x / r) / 2
            if next >= r { return r }
            r = next
        }
    }
}
