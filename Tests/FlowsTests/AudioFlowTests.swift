import EntropyCoding
import Testing
@testable import Flows

/// Deterministic test signals for the audio flow (SplitMix64 noise, so failures reproduce).
private enum Signal {
    static func noise(_ count: Int, seed: UInt64, range: ClosedRange<Int32>) -> [Int32] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let span = UInt64(Int64(range.upperBound) - Int64(range.lowerBound) + 1)
            return Int32(truncatingIfNeeded: Int64(range.lowerBound) + Int64(z % span))
        }
    }

    /// A decaying two-partial tone with a little noise, in integer arithmetic (a parabolic sine).
    static func tone(_ count: Int, amplitude: Int32, period: Int, seed: UInt64) -> [Int32] {
        let hiss = noise(count, seed: seed, range: -3...3)
        return (0..<count).map { i in
            func wave(_ p: Int) -> Int64 {  // parabola approximating a sine, in [-2^15, 2^15]
                let t = Int64((i % p) * 65536 / p) - 32768
                return (4 * t * (32768 - abs(t))) >> 15
            }
            let a = (Int64(amplitude) * (wave(period) + wave(period / 3 + 1) / 4)) >> 15  // `>>` binds tighter than `*`
            return Int32(clamping: a + Int64(hiss[i]))
        }
    }
}

@Suite struct AudioFlowLayerTests {
    @Test func everyChannelLiftingIsAnExactInverseOnInt32Pairs() {
        let a = Signal.noise(2_000, seed: 1, range: Int32.min...Int32.max)
            + [Int32.min, Int32.max, 0, -1, Int32.min, Int32.max]
        let b = Signal.noise(2_000, seed: 2, range: Int32.min...Int32.max)
            + [Int32.max, Int32.min, -1, 0, Int32.min, Int32.max]
        for mode in ChannelLifting.allCases {
            for i in a.indices {
                let (u, v) = mode.forward(a[i], b[i])
                let (l, r) = mode.inverse(u, v)
                #expect(l == a[i] && r == b[i], "mode \(mode) at \(i)")
            }
        }
    }

    @Test func midSideMidIsTheFlooredMean() {
        let (mid, side) = ChannelLifting.midSide.forward(7, -4)
        #expect(mid == 1 && side == 11)  // ⌊3 / 2⌋ = 1
    }

    @Test func linearPredictorInverseUndoesForward() {
        let x = Signal.tone(3_000, amplitude: 30_000, period: 50, seed: 3)
            + Signal.noise(500, seed: 4, range: Int32.min...Int32.max)
        for predictor in [LinearPredictor.zero, LinearPredictor(coefficients: [2, -1], shift: 0),
                          LinearPredictor(coefficients: [16383, -16383, 9000, -12], shift: 13)] {
            var z: [Int32] = []
            predictor.forward(x, range: 0..<x.count, into: &z)
            #expect(predictor.inverse(z) == x)
        }
    }

    @Test func fittedPredictorShrinksATone() {
        let x = Signal.tone(4_096, amplitude: 20_000, period: 37, seed: 5)
        let fitted = PredictorFitter.solve(x[...], maxOrder: 32)
        #expect(fitted.count == 32)
        let predictor = PredictorFitter.quantize(fitted[7], precision: 15)
        #expect(predictor.order == 8)
        let before = LinearPredictor.zero.residualMagnitude(x, range: 0..<x.count)
        let after = predictor.residualMagnitude(x, range: 32..<x.count)
        #expect(after * 20 < before, "residual \(after) vs signal \(before)")
    }

    @Test func fitterGivesNothingForSilence() {
        #expect(PredictorFitter.solve([Int32](repeating: 0, count: 100)[...], maxOrder: 8).isEmpty)
    }

    @Test func scaleCodesIncreaseAndRoundTripThroughNearest() {
        var previous: Int32 = 0
        for c in 0...ScaleCode.maxCode {
            let s = ScaleCode.scaleQ8(c)
            #expect(s > previous)
            #expect(ScaleCode.code(nearest: UInt64(s)) == c)
            previous = s
        }
        #expect(ScaleCode.scaleQ8(0) == minimumScaleQ8)
    }

    @Test func contextBucketsFollowQuarterOctaves() {
        #expect(ScaleContext.bucket(of: 1) == 0)
        #expect(ScaleContext.bucket(of: 2) == 4)
        #expect(ScaleContext.bucket(of: 3) == 6)
        #expect(ScaleContext.bucket(of: 1 << 20) == 80)
        #expect(ScaleContext.bucket(of: UInt64.max) == ScaleContext.bucketCount - 1)
    }

    @Test func latentCodingRoundTripsExtremesAtEveryScale() throws {
        let values: [Int32] = [0, 1, -1, 1_000, -77_777, Int32.max, Int32.min, 123_456_789]
        for code in stride(from: 0, through: ScaleCode.maxCode, by: 13) {
            let coding = LatentCoding(scaleQ8: ScaleCode.scaleQ8(code))
            var stack = RansStack()
            for v in values { coding.push(v, on: &stack) }
            var decoder = try RansStack(bytes: stack.bytes)
            for v in values.reversed() { #expect(coding.pop(from: &decoder) == v) }
            #expect(decoder.isAtInitialState)
        }
    }
}

@Suite struct AudioFlowCodecTests {
    /// Round trip through the current version (the encoder writes no other; older versions are
    /// decode-only, pinned by the golden streams); returns its size.
    func roundTrip(_ channels: [[Int32]]) throws -> Int {
        let bytes = AudioFlowCodec.encode(channels)
        let decoded = try AudioFlowCodec.decode(bytes, channelCount: channels.count, frameCount: channels[0].count)
        #expect(decoded == channels)
        // Claiming the samples' true width (when 24 bits or less) lets the decoder predict in
        // 16-bit lanes (`NarrowPrediction`): the same samples must come out.
        let bits = Self.sampleBits(channels)
        if bits <= NarrowPrediction.maxSampleBits {
            let narrow = try AudioFlowCodec.decode(bytes, channelCount: channels.count, frameCount: channels[0].count,
                                                   sampleBits: bits)
            #expect(narrow == channels, "\(bits)-bit lanes")
        }
        return bytes.count
    }

    /// Bits of the widest two's-complement sample (at least 1).
    static func sampleBits(_ channels: [[Int32]]) -> Int {
        channels.joined().map { 33 - ($0 < 0 ? (~$0).leadingZeroBitCount : $0.leadingZeroBitCount) }.max() ?? 1
    }

    @Test func fullScale24BitStereoRoundTripsInSixteenBitLanes() throws {
        // Loud tones (long predictors) and noise at the 24-bit limits, left against right, so that
        // the side signal reaches 25 bits; and a stretch of alternating extremes.
        let top: Int32 = (1 << 23) - 1, bottom: Int32 = -(1 << 23)
        let tone = Signal.tone(9_000, amplitude: top, period: 37, seed: 21).map { min(max($0, bottom), top) }
        let noise = Signal.noise(9_000, seed: 22, range: bottom...top)
        let swing = (0..<9_000).map { $0 % 2 == 0 ? top : bottom }
        #expect(Self.sampleBits([tone, noise, swing]) == 24)
        _ = try roundTrip([tone, tone.map { $0 == bottom ? top : -$0 }])
        _ = try roundTrip([noise, swing])
        _ = try roundTrip([swing, swing.map { $0 == bottom ? top : bottom }])
    }

    @Test(arguments: [1, 2, 3, 8])
    func channelCountsRoundTrip(_ count: Int) throws {
        let channels = (0..<count).map { Signal.tone(5_000, amplitude: 8_000, period: 40 + 7 * $0, seed: UInt64($0)) }
        _ = try roundTrip(channels)
    }

    @Test(arguments: [0, 1, 2, 31, 33, 4_095, 4_097])
    func oddLengthsRoundTrip(_ frames: Int) throws {
        _ = try roundTrip([Signal.tone(frames, amplitude: 1_000, period: 25, seed: 9),
                           Signal.noise(frames, seed: 10, range: -500...500)])
    }

    @Test func fullScaleInt32NoiseRoundTrips() throws {
        _ = try roundTrip([Signal.noise(3_000, seed: 11, range: Int32.min...Int32.max),
                           Signal.noise(3_000, seed: 12, range: Int32.min...Int32.max)])
    }

    @Test func silenceCostsAlmostNothing() throws {
        let size = try roundTrip([[Int32](repeating: 0, count: 20_000), [Int32](repeating: 0, count: 20_000)])
        #expect(size < 100)
    }

    @Test func clippedAndWastedBitSignalsRoundTrip() throws {
        let clipped = Signal.tone(6_000, amplitude: 60_000, period: 90, seed: 13).map { min(max($0, -32768), 32767) }
        let shifted = Signal.tone(6_000, amplitude: 3_000, period: 60, seed: 14).map { $0 << 8 }
        _ = try roundTrip([clipped, shifted])
    }

    @Test func aToneCodesFarBelowItsRawSize() throws {
        let size = try roundTrip([Signal.tone(8_192, amplitude: 10_000, period: 51, seed: 15)])
        #expect(size * 2 < 8_192 * 2, "\(size) bytes")  // flac -8 takes 15,820 bytes for this tone
    }

    @Test func truncatedStacksThrow() throws {
        let channels = [Signal.tone(3_000, amplitude: 5_000, period: 33, seed: 16)]
        let bytes = AudioFlowCodec.encode(channels)
        for cut in [0, 5, 9, bytes.count / 2, bytes.count - 1] {
            #expect(throws: AudioFlowError.self) {
                try AudioFlowCodec.decode(bytes.prefix(cut), channelCount: 1, frameCount: 3_000)
            }
        }
    }

    /// A flipped bit may leave the signal intact (the scale of a bucket no latent uses is a
    /// don't-care field), so this only checks that decoding never traps and keeps its shape; the
    /// container's CRC rejects what decodes differently (FlowZipTests.AudioFileTests).
    @Test func alteredStacksNeverTrap() throws {
        let channels = [Signal.tone(3_000, amplitude: 5_000, period: 33, seed: 16),
                        Signal.noise(3_000, seed: 17, range: -9...9)]
        let bytes = AudioFlowCodec.encode(channels)
        for position in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
            var altered = bytes
            altered[position] ^= 0x10
            if let decoded = try? AudioFlowCodec.decode(altered, channelCount: 2, frameCount: 3_000) {
                #expect(decoded.count == 2 && decoded.allSatisfy { $0.count == 3_000 })
            }
        }
    }
}

@Suite struct SignLMSTests {
    @Test func inverseUndoesForwardOnExtremeSequences() {
        let e = Signal.noise(3_000, seed: 21, range: Int32.min...Int32.max) + Signal.tone(3_000, amplitude: 30_000, period: 41, seed: 22)
        var forward = SignLMS.cascade, inverse = SignLMS.cascade
        let z = e.map { SignLMS.forward($0, through: &forward) }
        #expect(z.map { SignLMS.inverse($0, through: &inverse) } == e)
    }

    @Test func itLearnsAPredictableResidual() {
        // A residual that still follows a period of 8: the filter must shrink it.
        let e = (0..<20_000).map { Int32([300, 200, -100, -400, -300, -100, 100, 300][$0 % 8]) }
        var filters = SignLMS.cascade
        let z = e.map { SignLMS.forward($0, through: &filters) }
        let before = e.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) }
        let after = z.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) }
        #expect(after * 4 < before, "\(after) vs \(before)")
    }
}

@Suite struct SaturatingSignLMSTests {
    @Test(arguments: [0, 3, 24])
    func inverseUndoesForwardOnExtremeSequences(_ shift: Int) {
        let e = Signal.noise(3_000, seed: 23, range: Int32.min...Int32.max) + Signal.tone(3_000, amplitude: 30_000, period: 41, seed: 24)
            + [Int32](repeating: Int32.max, count: 1_100) + [Int32](repeating: Int32.min, count: 1_100)
        var forward = SaturatingSignLMS(inputShift: shift), inverse = SaturatingSignLMS(inputShift: shift)
        defer { forward.deallocate(); inverse.deallocate() }
        let z = e.map { forward.forward($0) }
        #expect(z.map { inverse.inverse($0) } == e)
    }

    /// While inputs fit 16 bits and weights stay inside ±4, the 16-bit filter is version 1's filter
    /// (64 taps, step 2^-10), sample for sample.
    @Test func matchesTheWideFilterOfTheSameOrderWhileNothingSaturates() {
        let e = Signal.tone(20_000, amplitude: 3_000, period: 37, seed: 25)
            .enumerated().map { $0.element &+ Int32($0.offset % 8 == 0 ? 40 : 0) }
        var wide = [SignLMS(order: SaturatingSignLMS.order, step: 32)]
        var narrow = SaturatingSignLMS(inputShift: 0)
        defer { narrow.deallocate() }
        let z = e.map { SignLMS.forward($0, through: &wide) }
        #expect(e.map { narrow.forward($0) } == z)
        #expect(z.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) } < e.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) })
    }

    @Test func inputShiftKeepsTheTypicalInputNear2To10() {
        #expect(LMSLanes.inputShift(meanMagnitude: 0) == 0)
        #expect(LMSLanes.inputShift(meanMagnitude: 1_000) == 0)
        #expect(LMSLanes.inputShift(meanMagnitude: 1 << 12) == 3)
        #expect(LMSLanes.inputShift(meanMagnitude: UInt64.max) == 24)
    }
}

@Suite struct TabulatedLogisticTests {
    /// The table must give the distribution's own intervals, or streams would differ.
    @Test(arguments: [16, 300, 5_000, 65_535])
    func tableGivesExactlyTheDistributionsIntervals(_ scaleQ8: Int32) {
        let base = LatentCoding(scaleQ8: scaleQ8).distribution
        let table = TabulatedLogistic(base)
        defer { table.deallocate() }
        #expect(table.codedRange == base.codedRange)
        for v in base.codedRange { #expect(table.interval(of: Int(v)) == base.interval(of: Int(v))) }
        #expect(table.interval(of: escapeSymbol) == base.interval(of: escapeSymbol))
        var slot: UInt32 = 0
        while slot < 1 << 24 {
            let a = table.symbol(containing: slot), b = base.symbol(containing: slot)
            #expect(a.symbol == b.symbol && a.interval == b.interval, "slot \(slot)")
            slot += 997
        }
        for slot: UInt32 in [0, 1, (1 << 24) - 2, (1 << 24) - 1] {
            #expect(table.symbol(containing: slot).symbol == base.symbol(containing: slot).symbol)
        }
    }

    @Test func decodingWithTablesPopsWhatWasPushed() throws {
        let coding = LatentCoding(scaleQ8: 700)
        let values = Signal.noise(5_000, seed: 31, range: -40...40) + [Int32.max, Int32.min, 100_000]
        var stack = RansStack()
        for v in values { coding.push(v, on: &stack) }
        var decoder = try RansStack(bytes: stack.bytes)
        var decoding = LatentDecoding(coding)  // builds its table after a few hundred pops
        defer { decoding.deallocate() }
        #expect(values.reversed().map { _ in decoding.pop(from: &decoder) } == Array(values.reversed()))
        #expect(decoder.isAtInitialState)
    }
}

extension SaturatingSignLMSTests {
    @Test func itLearnsAPredictableResidual() {
        let e = (0..<20_000).map { Int32([300, 200, -100, -400, -300, -100, 100, 300][$0 % 8]) }
        var filter = SaturatingSignLMS(inputShift: 0)
        defer { filter.deallocate() }
        let z = e.map { filter.forward($0) }
        let before = e.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) }
        let after = z.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) }
        #expect(after * 4 < before, "\(after) vs \(before)")
    }
}

@Suite struct ScaledSignLMSTests {
    /// The stage as its doc comment specifies it, in plain scalar Int64 arithmetic (no SIMD, no
    /// sliding buffers): the reference the 16-bit-lane filter must equal sample for sample.
    struct Reference {
        let order: Int, base: Int64, shift: Int
        var w: [Int64], h: [Int64], d: [Int64]  // most recent input first
        var level: Int64 = 0
        init(order: Int, base: Int, shift: Int) {
            self.order = order; self.base = Int64(base); self.shift = shift
            w = Array(repeating: 0, count: order); h = w; d = w
        }
        mutating func forward(_ e: Int32) -> Int32 {
            var sum: Int32 = 0
            for j in 0..<order { sum &+= Int32(w[j] * h[j]) }
            let z = e &- Int32(truncatingIfNeeded: (Int64(sum) << Int64(shift)) >> 12)
            if z != 0 {
                for j in 0..<order { w[j] = min(max(w[j] + (z > 0 ? d[j] : -d[j]), -32768), 32767) }
            }
            let x = Int64(min(max(Int64(e >> Int32(shift)), -32768), 32767))
            let a = abs(x)
            var step = a == 0 ? 0 : (16 * a > 3 * level ? 4 * base : (48 * a > 4 * level ? 2 * base : base))
            if x < 0 { step = -step }
            level += (16 * a - level) >> 4
            h = [x] + h.dropLast()
            d = [step] + d.dropLast()
            d[1] >>= 1; d[2] >>= 1; d[8] >>= 1
            return z
        }
    }

    /// Shapes the codec does not use, to test the rules at other orders and steps.
    enum WideStep: ScaledLMSShape {
        static var order: Int { 24 }
        static var baseStep: Int16 { 64 }
    }
    enum Short: ScaledLMSShape {
        static var order: Int { 16 }
        static var baseStep: Int16 { 16 }
    }

    @Test(arguments: [0, 3])
    func equalsTheScalarReference(_ shift: Int) {
        check(Version3Shape.self, shift: shift)
        check(Short.self, shift: shift)
        check(WideStep.self, shift: shift)
    }

    func check<Shape: ScaledLMSShape>(_: Shape.Type, shift: Int) {
        let order = Shape.order, base = Int(Shape.baseStep)
        // A tone with a periodic kink, then full-scale noise and saturating runs (weights and inputs
        // reach the Int16 limits), past several slides of the input buffer.
        let e = Signal.tone(6_000, amplitude: 3_000 << shift, period: 37, seed: 40)
            .enumerated().map { $0.element &+ Int32($0.offset % 8 == 0 ? 40 : 0) }
            + Signal.noise(2_000, seed: 41, range: Int32.min...Int32.max)
            + [Int32](repeating: Int32.max, count: 1_500) + [Int32](repeating: -70_000, count: 1_500)
        var reference = Reference(order: order, base: base, shift: shift)
        var filter = ScaledSignLMS<Shape>(inputShift: shift)
        defer { filter.deallocate() }
        let expected = e.map { reference.forward($0) }
        #expect(e.map { filter.forward($0) } == expected, "\(order) taps, step \(base), shift \(shift)")
    }

    func roundTrip<Shape: ScaledLMSShape>(_: Shape.Type, _ e: [Int32], shift: Int) -> Bool {
        var forward = ScaledSignLMS<Shape>(inputShift: shift), inverse = ScaledSignLMS<Shape>(inputShift: shift)
        defer { forward.deallocate(); inverse.deallocate() }
        let z = e.map { forward.forward($0) }
        return z.map { inverse.inverse($0) } == e
    }

    func shrinks<Shape: ScaledLMSShape>(_: Shape.Type, _ e: [Int32]) -> Bool {
        var filter = ScaledSignLMS<Shape>(inputShift: 0)
        defer { filter.deallocate() }
        let z = e.map { filter.forward($0) }
        let before = e.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) }
        let after = z.suffix(2_000).reduce(0) { $0 + Int($1.magnitude) }
        return after * 4 < before
    }

    @Test(arguments: [0, 3, 24])
    func inverseUndoesForwardOnExtremeSequences(_ shift: Int) {
        let e = Signal.noise(3_000, seed: 42, range: Int32.min...Int32.max) + Signal.tone(3_000, amplitude: 30_000, period: 41, seed: 43)
            + [Int32](repeating: Int32.max, count: 1_100) + [Int32](repeating: Int32.min, count: 1_100)
        #expect(roundTrip(Version3Shape.self, e, shift: shift))
    }

    @Test func itLearnsAPredictableResidual() {
        let e = (0..<20_000).map { Int32([300, 200, -100, -400, -300, -100, 100, 300][$0 % 8]) }
        #expect(shrinks(Version3Shape.self, e))
    }

    /// On a tone where the adaptive stages are on, only version 3's decoder reads a version 3 stream:
    /// the legacy decoders (versions 1 and 2) read it as something else.
    @Test func versionThreeIsItsOwnFormat() throws {
        let channels = [Signal.tone(30_000, amplitude: 9_000, period: 57, seed: 44),
                        Signal.tone(30_000, amplitude: 7_000, period: 43, seed: 45)]
        let v3 = AudioFlowCodec.encode(channels)
        #expect(try AudioFlowCodec.decode(v3, channelCount: 2, frameCount: 30_000, version: .v3) == channels)
        for legacy in [AudioFlowCodec.Version.v1, .v2] {
            let wrong = try? AudioFlowCodec.decode(v3, channelCount: 2, frameCount: 30_000, version: legacy)
            #expect(wrong != channels, "version \(legacy)")
        }
    }
}
