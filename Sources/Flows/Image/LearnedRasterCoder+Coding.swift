import EntropyCoding

extension LearnedRasterCoder {
    /// The encoder: fits the side information (refit, then scale offsets) in two passes of `run`
    /// and pushes every residual. Returns the side information and the stack.
    static func encode(_ planes: [Plane], network: RasterNetwork, shift: Int32, prior: ResidualPrior) throws(FlowsError)
        -> (side: LearnedRasterSide, stack: RansStack) {
        var side = LearnedRasterSide.neutral(channels: planes.count)
        var scratch = planes
        var statistics = RefitStatistics(channels: planes.count, dimension: MeanRefit.coefficientCount(hidden: network.hidden),
                                         hidden: network.hidden, shift: shift, samples: planes.map { $0.samples.count })
        try run(&scratch, network: network, side: side, shift: shift, visitor: &statistics)
        side.refits = statistics.refits()

        scratch = planes
        var recorder = Recorder(capacity: planes.reduce(0) { $0 + $1.samples.count })
        try run(&scratch, network: network, side: side, shift: shift, visitor: &recorder)
        side.scaleOffsets = recorder.fitOffsets(channels: planes.count, prior: prior)

        var stack = RansStack()
        for k in recorder.residuals.indices.reversed() {
            let index = side.scaleIndex(raw: Int(recorder.rawIndices[k]), bucket: Int(recorder.buckets[k]),
                                        channel: Int(recorder.channels[k]))
            prior.push(recorder.residuals[k], scaleIndex: index, meanQ8: Int32(recorder.fractions[k]), onto: &stack)
        }
        return (side, stack)
    }

    /// The decoder: pops the planes (`width × height`, `channels`) in `run`'s order.
    static func decode(_ stack: inout RansStack, width: Int, height: Int, channels: Int, network: RasterNetwork,
                       side: LearnedRasterSide, shift: Int32, prior: ResidualPrior, valueLimit: Int32) throws(FlowsError) -> [Plane] {
        var planes = [Plane](repeating: Plane(width: width, height: height, samples: [Int32](repeating: 0, count: width * height)),
                             count: channels)
        var popper = Popper(stack: stack, side: side, prior: prior, valueLimit: valueLimit)
        try run(&planes, network: network, side: side, shift: shift, visitor: &popper)
        stack = popper.stack
        return planes
    }

    /// Pops each value under the prior `run` describes.
    struct Popper: Visitor {
        var stack: RansStack
        let side: LearnedRasterSide
        let prior: ResidualPrior
        let valueLimit: Int32

        @inline(__always)
        mutating func visit(_ pixel: Pixel, value _: Int32) throws(FlowsError) -> Int32 {
            let t = roundQ8(pixel.meanQ8)
            let index = side.scaleIndex(raw: pixel.rawScaleIndex, bucket: pixel.bucket, channel: pixel.channel)
            let r = prior.pop(scaleIndex: index, meanQ8: pixel.meanQ8 &- t << 8, from: &stack)
            // The encoder only pushes, so a valid stream never makes the decoder read below its data.
            guard !stack.hasReadPastData else { throw FlowsError.truncated("the coded data ends before the image does") }
            let v = r &+ t
            guard r.magnitude <= UInt32(2 * valueLimit), v.magnitude <= UInt32(valueLimit) else {
                throw FlowsError.corrupt("decoded value out of range")
            }
            return v
        }
    }

    /// Records what the push needs: the residual, the mean's fraction, the raw scale index and bucket.
    struct Recorder: Visitor {
        var residuals: [Int32] = [], fractions: [Int16] = [], rawIndices: [Int16] = []
        var buckets: [UInt8] = [], channels: [UInt8] = []

        init(capacity: Int) {
            residuals.reserveCapacity(capacity); fractions.reserveCapacity(capacity)
            rawIndices.reserveCapacity(capacity); buckets.reserveCapacity(capacity); channels.reserveCapacity(capacity)
        }

        mutating func visit(_ pixel: Pixel, value: Int32) throws(FlowsError) -> Int32 {
            let t = roundQ8(pixel.meanQ8)
            residuals.append(value &- t)
            fractions.append(Int16(pixel.meanQ8 &- t << 8))
            rawIndices.append(Int16(clamping: pixel.rawScaleIndex))
            buckets.append(UInt8(pixel.bucket))
            channels.append(UInt8(pixel.channel))
            return value
        }

        /// Per (channel, bucket), the offset that minimises the coded size of (a sample of) its
        /// residuals: a walk from 0 while the cost falls (the cost is unimodal in the scale).
        func fitOffsets(channels count: Int, prior: ResidualPrior) -> [Int8] {
            let buckets = LearnedRasterSide.buckets
            var members = [[Int]](repeating: [], count: count * buckets)
            for k in residuals.indices { members[Int(channels[k]) * buckets + Int(self.buckets[k])].append(k) }
            return members.map { all -> Int8 in
                guard !all.isEmpty else { return 0 }
                let stride = max(1, all.count / 4096)
                let sample = Swift.stride(from: 0, to: all.count, by: stride).map { all[$0] }
                func cost(_ offset: Int) -> Int64 {
                    sample.reduce(0) { sum, k in
                        let index = min(max(Int(rawIndices[k]) + offset, 0), ScaleGrid.count - 1)
                        return sum + prior.costQ16(residuals[k], scaleIndex: index, meanQ8: Int32(fractions[k]))
                    }
                }
                let limit = Int(LearnedRasterSide.offsetLimit)
                var best = 0, bestCost = cost(0)
                for direction in [1, -1] {
                    var o = best + direction
                    while abs(o) <= limit {
                        let c = cost(o)
                        guard c < bestCost else { break }
                        (best, bestCost) = (o, c)
                        o += direction
                    }
                }
                return Int8(best)
            }
        }
    }

    /// Accumulates, per channel, the normal equations of the mean refit: the target is the
    /// value minus the network's mean, in 8-bit sample units, on the inputs hidden/256, features/64, 1.
    /// Large channels are sampled (every `stride`-th sub-pixel) to bound the encoder's cost.
    struct RefitStatistics: Visitor {
        let dimension: Int, hidden: Int, shift: Int32
        var gram: [[Double]], moments: [[Double]], counts: [Int]
        let strides: [Int]
        var seen: [Int]
        var u: [Double]
        /// Channels with fewer sub-pixels keep the network's mean: the coefficients would cost more than they save.
        static let minimumSamples = 1 << 14
        static let sampleTarget = 1 << 17

        init(channels: Int, dimension: Int, hidden: Int, shift: Int32, samples: [Int]) {
            self.dimension = dimension
            self.hidden = hidden
            self.shift = shift
            gram = [[Double]](repeating: [Double](repeating: 0, count: dimension * dimension), count: channels)
            moments = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: channels)
            counts = [Int](repeating: 0, count: channels)
            strides = samples.map { max(1, $0 / Self.sampleTarget) }
            seen = [Int](repeating: 0, count: channels)
            u = [Double](repeating: 0, count: dimension)
        }

        mutating func visit(_ pixel: Pixel, value: Int32) throws(FlowsError) -> Int32 {
            let c = pixel.channel
            seen[c] += 1
            guard seen[c] % strides[c] == 0 else { return value }
            for k in 0..<hidden { u[k] = Double(pixel.hidden[k]) / 256 }
            for k in 0..<RasterFeatures.count { u[hidden + k] = Double(pixel.features[k]) / 64 }
            u[dimension - 1] = 1
            let target = (Double(Int64(value) << 8 - pixel.networkMeanQ8) / 256) / Double(1 << shift)
            let d = dimension
            gram[c].withUnsafeMutableBufferPointer { g in
                for i in 0..<d where u[i] != 0 {
                    let ui = u[i]
                    for j in i..<d { g[i * d + j] += ui * u[j] }
                }
            }
            for i in 0..<d { moments[c][i] += u[i] * target }
            counts[c] += 1
            return value
        }

        /// The quantized least-squares coefficients per channel (ridge-regularised towards the
        /// network's own mean), or `MeanRefit.none` for small channels or a failed solve.
        func refits() -> [MeanRefit] {
            (0..<counts.count).map { c in
                guard counts[c] * strides[c] >= Self.minimumSamples,
                      let beta = Self.solve(gram[c], moments[c], dimension: dimension, ridge: 1e-3 * Double(counts[c])) else { return .none }
                // Integer coefficient = β · (256 / input scale) · 2^shift: hidden inputs are Q8 (×1),
                // features Q4 in units of 1/64 (×4), the constant input 256 (×1).
                let scales = (0..<dimension).map { k in k >= hidden && k < dimension - 1 ? 4.0 : 1.0 }
                let largest = zip(beta, scales).map { abs($0 * $1) }.max() ?? 0
                guard largest > 0 else { return .none }
                var shift = Int(MeanRefit.maxShift)
                while shift > 0 && largest * Double(1 << shift) > 32767 { shift -= 1 }
                guard shift > 0 else { return .none }
                let coefficients = zip(beta, scales).map { Int16(($0 * $1 * Double(1 << shift)).rounded()) }
                return MeanRefit(shift: UInt8(shift), coefficients: coefficients)
            }
        }

        /// Solves `(G + ridge·I) β = m` by Cholesky (G's upper triangle filled), nil if not positive definite.
        static func solve(_ upper: [Double], _ m: [Double], dimension d: Int, ridge: Double) -> [Double]? {
            var a = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for j in i..<d { a[i * d + j] = upper[i * d + j]; a[j * d + i] = upper[i * d + j] } }
            for i in 0..<d { a[i * d + i] += ridge }
            var l = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0...i {
                    var s = a[i * d + j]
                    for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                    if i == j {
                        guard s > 0 else { return nil }
                        l[i * d + i] = s.squareRoot()
                    } else {
                        l[i * d + j] = s / l[j * d + j]
                    }
                }
            }
            var y = [Double](repeating: 0, count: d)
            for i in 0..<d {
                var s = m[i]
                for k in 0..<i { s -= l[i * d + k] * y[k] }
                y[i] = s / l[i * d + i]
            }
            var x = [Double](repeating: 0, count: d)
            for i in stride(from: d - 1, through: 0, by: -1) {
                var s = y[i]
                for k in (i + 1)..<d { s -= l[k * d + i] * x[k] }
                x[i] = s / l[i * d + i]
            }
            return x
        }
    }
}
