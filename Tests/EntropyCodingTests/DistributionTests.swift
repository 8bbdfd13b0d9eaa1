import Foundation
import Testing
@testable import EntropyCoding

/// Checks the SymbolDistribution contract on every slot (or a sample of them for large precisions):
/// intervals tile `[0, 2^precision)` and `symbol(containing:)` agrees with `interval(of:)`.
func expectConsistent<D: SymbolDistribution>(_ dist: D, symbols: [Int], slotStep: UInt32 = 1) {
    var next: UInt32 = 0
    var total: UInt64 = 0
    for s in symbols {
        let interval = dist.interval(of: s)
        #expect(interval.frequency >= 1)
        #expect(interval.start == next)
        next = interval.start &+ interval.frequency
        total += UInt64(interval.frequency)
    }
    #expect(total == 1 << UInt64(dist.precision))
    var slot: UInt32 = 0
    while UInt64(slot) < total {
        let (s, interval) = dist.symbol(containing: slot)
        #expect(interval == dist.interval(of: s))
        #expect(interval.start <= slot && slot - interval.start < interval.frequency)
        slot &+= slotStep
    }
}

/// `expectConsistent` over the whole coded window (and the escape), then 200 values of ±400 pushed
/// and popped back (escapes included).
func expectTilesAndRoundTrips<D: EscapableDistribution>(_ dist: D, _ rng: inout SplitMix64) throws {
    let range = dist.codedRange
    expectConsistent(dist, symbols: (Int(range.lowerBound)...Int(range.upperBound)).map { $0 } + [escapeSymbol],
                     slotStep: dist.precision == 16 ? 17 : 8191)
    let values = (0..<200).map { _ in Int32(truncatingIfNeeded: Int64(rng.next() % 801) - 400) }
    var stack = RansStack()
    for v in values { stack.push(escaping: v, dist) }
    var decoder = try RansStack(bytes: stack.bytes)
    for v in values.reversed() { #expect(decoder.pop(escaping: dist) == v) }
    #expect(decoder.isAtInitialState)
}

@Suite struct LogisticTests {
    @Test func sigmoidTableIsMonotoneAndCentred() {
        #expect(FixedPointSigmoid.cdf(0) == 1 << 31)
        var previous: UInt64 = 0
        for t in stride(from: -(25 << 16), through: 25 << 16, by: 997) {
            let value = FixedPointSigmoid.cdf(Int64(t))
            #expect(value >= previous)
            previous = value
        }
        // sigmoid(1) = 0.731058578...: within 2e-5 after interpolation.
        let one = Double(FixedPointSigmoid.cdf(1 << 16)) / 4_294_967_296
        #expect(abs(one - 0.731_058_578) < 2e-5)
    }

    @Test func guidedSearchFindsWhatPlainBisectionFinds() {
        var rng = SplitMix64(seed: 31)
        for _ in 0..<40 {
            let precision = [8, 16, 24].randomElement(using: &rng)!
            let components = (0..<Int(rng.next() % 3 + 1)).map { _ in
                LogisticMixture.Component(weight: UInt32(rng.next() % 9), meanQ8: Int32(Int64(rng.next() % 100_000) - 50_000),
                                          scaleQ8: Int32(rng.next() % 20_000))
            }
            let mixture = LogisticMixture(components: components, support: -500...500, precision: precision)
            let single = DiscretizedLogistic(meanQ8: components[0].meanQ8, scaleQ8: components[0].scaleQ8,
                                             support: -500...500, precision: precision)
            for _ in 0..<200 {
                let slot = UInt32(truncatingIfNeeded: rng.next() % (1 << UInt64(precision)))
                #expect(mixture.symbol(containing: slot) == mixture.window.symbol(containing: slot, massBelow: mixture.massBelow))
                #expect(single.symbol(containing: slot)
                        == single.window.symbol(containing: slot, massBelow: single.component.massBelow))
            }
        }
    }

    @Test func searchGuessIsAGoodLogRatio() {
        // Only speed depends on it, but a bad guess would quietly slow every decode.
        for (a, b) in [(1, 1), (3, 1), (1, 1000), (65535, 1), (12345, 678), (1 << 23, 3)] as [(UInt64, UInt64)] {
            let approx = Double(FixedPointSigmoid.approximateLogRatio(a, b)) / 65536
            #expect(abs(approx - log(Double(a) / Double(b))) < 0.02)
        }
    }

    @Test(arguments: [16, 24], [Int32(16), 100, 256, 2000, 100_000])
    func logisticTilesTheSlotsAndRoundTrips(precision: Int, scaleQ8: Int32) throws {
        let dist = DiscretizedLogistic(meanQ8: 3 * 256 + 77, scaleQ8: scaleQ8, support: -255...255, precision: precision)
        let range = dist.codedRange
        expectConsistent(dist, symbols: (Int(range.lowerBound)...Int(range.upperBound)).map { $0 } + [escapeSymbol],
                         slotStep: precision == 16 ? 13 : 4099)
        var rng = SplitMix64(seed: UInt64(scaleQ8))
        let values = (0..<300).map { _ in Int32(truncatingIfNeeded: Int64(rng.next() % 601) - 300) }
        var stack = RansStack()
        for v in values { stack.push(escaping: v, dist) }
        var decoder = try RansStack(bytes: stack.bytes)
        for v in values.reversed() { #expect(decoder.pop(escaping: dist) == v) }
        #expect(decoder.isAtInitialState)
    }

    @Test func extremeValuesGoThroughTheEscape() throws {
        let dist = DiscretizedLogistic(meanQ8: 0, scaleQ8: 256, support: Int32.min...Int32.max)
        #expect(!dist.codedRange.contains(Int32.min) && !dist.codedRange.contains(Int32.max))
        let values: [Int32] = [Int32.min, Int32.max, 0, Int32.min + 1, Int32.max - 1, dist.codedRange.lowerBound - 1,
                               dist.codedRange.upperBound + 1, dist.codedRange.lowerBound, dist.codedRange.upperBound]
        var stack = RansStack()
        for v in values { stack.push(escaping: v, dist) }
        var decoder = try RansStack(bytes: stack.bytes)
        for v in values.reversed() { #expect(decoder.pop(escaping: dist) == v) }
        #expect(decoder.isAtInitialState)
    }

    @Test func windowFollowsTheMeanAndStaysInsideTheSupport() {
        let far = DiscretizedLogistic(meanQ8: 1_000_000 * 256, scaleQ8: 256, support: 0...255)
        #expect(far.codedRange.upperBound == 255)
        let wide = DiscretizedLogistic(meanQ8: 0, scaleQ8: 1 << 24, support: Int32.min...Int32.max, precision: 16)
        #expect(wide.codedRange.count == (1 << 15) - 1)
        #expect(DiscretizedLogistic(meanQ8: 0, scaleQ8: -5, support: 0...9).scaleQ8 == minimumScaleQ8)
    }

    @Test func aTinyScalePutsNearlyAllMassOnOneValue() throws {
        let dist = DiscretizedLogistic(meanQ8: 5 * 256, scaleQ8: 16, support: 0...255, precision: 16)
        // Mass of [4.5, 5.5) at scale 1/16 is sigmoid(8) - sigmoid(-8) = 0.99933.
        #expect(dist.interval(of: 5).frequency >= 65_480)
        var stack = RansStack()
        for _ in 0..<5000 { stack.push(escaping: 5, dist) }
        #expect(stack.bytes.count <= 13)
    }

    @Test func samplingThenPushingBackRestoresTheStack() {
        let logistic = DiscretizedLogistic(meanQ8: -300, scaleQ8: 700, support: -1000...1000, precision: 24)
        let mixture = LogisticMixture(components: [.init(weight: 3, meanQ8: -2560, scaleQ8: 300),
                                                   .init(weight: 1, meanQ8: 5120, scaleQ8: 900)],
                                      support: -100...100)
        var stack = RansStack()
        var samples: [(Int32, Bool)] = []
        for k in 0..<600 {
            samples.append(k % 2 == 0 ? (stack.pop(escaping: logistic), true) : (stack.pop(escaping: mixture), false))
        }
        for (v, isLogistic) in samples.reversed() {
            if isLogistic { stack.push(escaping: v, logistic) } else { stack.push(escaping: v, mixture) }
        }
        #expect(stack.isAtInitialState)
    }

    @Test(arguments: [16, 24])
    func mixtureTilesTheSlotsAndRoundTrips(precision: Int) throws {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<6 {
            let components = (0..<Int(rng.next() % 4 + 1)).map { _ in
                LogisticMixture.Component(weight: UInt32(rng.next() % 100),
                                          meanQ8: Int32(truncatingIfNeeded: Int64(rng.next() % 60_000) - 30_000),
                                          scaleQ8: Int32(rng.next() % 5000))
            }
            let dist = LogisticMixture(components: components, support: -300...300, precision: precision)
            try expectTilesAndRoundTrips(dist, &rng)
        }
    }
}

@Suite struct SmallLogisticMixtureTests {
    /// Random mixtures of two or three: wide and narrow, near and far apart (some windows hit the
    /// cap), every weight range, zero weights included.
    static func randomMixture(_ rng: inout SplitMix64, precision: Int, support: ClosedRange<Int32>) -> (SmallLogisticMixture, LogisticMixture) {
        let count = Int(rng.next() % 2) + 2
        var components = [LogisticMixture.Component]()
        let anchor = Int32(truncatingIfNeeded: Int64(rng.next() % 200_000) - 100_000)
        for _ in 0..<count {
            let weight = rng.next() % 5 == 0 ? 0 : UInt32(rng.next() % 70_000)
            let mean = rng.next() % 2 == 0 ? anchor + Int32(rng.next() % 2000) : Int32(truncatingIfNeeded: Int64(rng.next() % 200_000) - 100_000)
            let scale = Int32(rng.next() % (rng.next() % 2 == 0 ? 400 : 400_000))
            components.append(.init(weight: weight, meanQ8: mean, scaleQ8: scale))
        }
        let small = SmallLogisticMixture(components[0], components[1], count == 3 ? components[2] : nil,
                                         support: support, precision: precision)
        return (small, LogisticMixture(components: components, support: support, precision: precision))
    }

    @Test(arguments: [12, 16, 24])
    func smallMixtureIsTheMixture(precision: Int) {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<100 {
            let (small, mixture) = Self.randomMixture(&rng, precision: precision, support: -3000...3000)
            #expect(small.codedRange == mixture.codedRange)
            let range = small.codedRange
            for _ in 0..<50 {
                let v = Int(range.lowerBound) + Int(rng.next() % UInt64(range.count))
                #expect(small.interval(of: v) == mixture.interval(of: v))
                let slot = UInt32(truncatingIfNeeded: rng.next() % (1 << UInt64(precision)))
                #expect(small.symbol(containing: slot) == mixture.symbol(containing: slot))
            }
        }
    }

    @Test(arguments: [16, 24])
    func smallMixtureTilesTheSlotsAndRoundTrips(precision: Int) throws {
        var rng = SplitMix64(seed: 78)
        for _ in 0..<8 {
            let (small, _) = Self.randomMixture(&rng, precision: precision, support: -300...300)
            try expectTilesAndRoundTrips(small, &rng)
        }
    }

    @Test func weightFollowsTheLogit() {
        #expect(SmallLogisticMixture.weightQ16(logitQ8: 0) == 32_768)
        #expect(SmallLogisticMixture.weightQ16(logitQ8: Int32.max) == 65_535)
        #expect(SmallLogisticMixture.weightQ16(logitQ8: Int32.min) == 1)
        // sigmoid(1) = 0.7311: 47911 in Q16.
        #expect(abs(Int(SmallLogisticMixture.weightQ16(logitQ8: 256)) - 47_911) <= 2)
        var previous: UInt32 = 0
        for logit in stride(from: Int32(-8000), through: 8000, by: 37) {
            let w = SmallLogisticMixture.weightQ16(logitQ8: logit)
            #expect(w >= previous)
            previous = w
        }
    }
}
