import Foundation
import Testing
import EntropyCoding
@testable import Flows

/// Every layer's inverse undoes its forward exactly, on random and extreme inputs of odd sizes.
struct LayerTests {
    static let sizes = [(1, 1), (1, 7), (7, 1), (3, 5), (4, 4), (17, 13), (0, 3)]

    @Test(arguments: Pattern.allCases)
    func squeezeInvertsOnEverySize(_ pattern: Pattern) throws {
        for (w, h) in Self.sizes {
            let x = pattern.plane(width: w, height: h, maxValue: 255, seed: 7)
            let z = Squeeze().forward(x)
            #expect(z.a.count + z.b.count + z.c.count + z.d.count == x.count)
            #expect(try Squeeze().inverse(z) == x)
        }
    }

    @Test func squeezePlacesPolyphaseComponents() throws {
        let x = Plane(width: 3, height: 3, samples: [0, 1, 2, 3, 4, 5, 6, 7, 8])
        let z = Squeeze().forward(x)
        #expect(z.a.samples == [0, 2, 6, 8])
        #expect(z.b.samples == [1, 7])
        #expect(z.c.samples == [3, 5])
        #expect(z.d.samples == [4])
    }

    @Test func squeezeInverseRejectsMismatchedComponents() {
        let a = Plane(width: 2, height: 2), b = Plane(width: 2, height: 2)
        let c = Plane(width: 2, height: 1), d = Plane(width: 2, height: 2)
        #expect(throws: FlowsError.self) { try Squeeze().inverse(SqueezedPlane(a: a, b: b, c: c, d: d)) }
    }

    @Test func permutationInverts() throws {
        let planes = (0..<4).map { Pattern.random.plane(width: 5, height: 3, maxValue: 255, seed: UInt64($0)) }
        let p = try #require(ChannelPermutation([2, 0, 3, 1]))
        let y = try p.forward(planes)
        #expect(y[0] == planes[2] && y[1] == planes[0])
        #expect(try p.inverse(y) == planes)
        #expect(ChannelPermutation([0, 0, 1]) == nil)
    }

    @Test(arguments: [8, 16])
    func ycocgRInvertsAndStaysInRange(bitDepth: Int) throws {
        let maxValue = Int32(1) << Int32(bitDepth) - 1
        for pattern in Pattern.allCases {
            let planes = (0..<4).map { pattern.plane(width: 17, height: 13, maxValue: maxValue, seed: UInt64($0) + 3) }
            let mixed = try ColourLifting.forward(planes)
            #expect(try ColourLifting.inverse(mixed) == planes, "pattern \(pattern)")
            #expect(mixed[0].samples.allSatisfy { (0...maxValue).contains($0) }, "Y in range")
            #expect(mixed[1...2].allSatisfy { $0.samples.allSatisfy { (-maxValue...maxValue).contains($0) } })
            #expect(mixed[3] == planes[3], "alpha untouched")
        }
    }

    @Test func ycocgRMatchesItsDefinition() throws {
        // R = 200, G = 100, B = 50: Co = 150, t = 125, Cg = −25, Y = 112.
        let planes = [200, 100, 50].map { Plane(width: 1, height: 1, repeating: $0) }
        let z = try ColourLifting.forward(planes)
        #expect(z.map { $0.samples[0] } == [112, 150, -25])
    }

    @Test func liftingRejectsAStepThatReadsItsTarget() {
        #expect(LiftingStep(target: 1, sources: [1], weights: [1]) == nil)
        #expect(LiftingMixing(channels: 2, steps: [LiftingStep(target: 0, sources: [2], weights: [1])!]) == nil)
    }

    /// `t` = 2.5 × the condition, in Q8.
    @Test func valueCompactionInvertsAndSerializes() throws {
        let plane = Plane(width: 4, height: 2, samples: [0, 257, 514, 65535, 257, 0, 65535, 514])
        let set = ValueCompaction(usedIn: [plane], range: 65536)
        #expect(set.values == [0, 257, 514, 65535])
        let z = try set.forward(plane)
        #expect(z.samples == [0, 1, 2, 3, 1, 0, 3, 2])
        #expect(try set.inverse(z) == plane)
        var offset = 0
        #expect(try ValueCompaction(parsing: set.serialized, at: &offset, range: 65536) == set)
        #expect(offset == set.serialized.count)
        #expect(throws: FlowsError.self) { try set.inverse(Plane(width: 1, height: 1, repeating: 4)) }
        #expect(throws: FlowsError.self) { try set.forward(Plane(width: 1, height: 1, repeating: 5)) }
    }

    @Test func valueCompactionRejectsHostileSets() {
        let hostile: [[UInt8]] = [[], [0], [3, 1, 1], [2, 5, 0], [2, 0xFF, 0xFF, 0x7F, 1], [0x80, 0x80, 0x80, 0x80, 0x80, 1]]
        for bytes in hostile {
            var offset = 0
            #expect(throws: FlowsError.self, "\(bytes)") { try ValueCompaction(parsing: bytes, at: &offset, range: 256) }
        }
    }

    @Test func adaptiveBlendSurvivesExtremeErrors() {
        // Found by fuzzing: with every candidate far off on hostile values, every weight rounded
        // to 0 and the mix divided by zero. Values are bounded by the decoder's limit (2^17).
        let x = [Int32](repeating: 1 << 17, count: 9) + [0]
        let far = [Int32](repeating: -(1 << 25), count: 10)
        let candidates = [far, far, far.map { $0 / 2 }, far]
        let t = AdaptiveBlend.predict(candidates, values: x, 9, 3, shift: 0)
        #expect(t <= 0 && t >= -(1 << 25))
        // Equal candidates give that value whatever the errors.
        #expect(AdaptiveBlend.predict([far, far], values: x, 9, 3, shift: 0) == -(1 << 25))
    }

    @Test func fixedLog2IsAccurate() {
        for x: UInt64 in [1, 2, 3, 5, 255, 65535, 65536, 1 << 40, 123_456_789] {
            let exact = log2(Double(x)) * 65536
            #expect(abs(Double(fixedLog2Q16(x)) - exact) <= 2, "log2(\(x))")
        }
    }

    @Test func scaleGridIsIncreasingAndCoversSixteenBitResiduals() {
        let scales = (0..<ScaleGrid.count).map(ScaleGrid.scaleQ8)
        #expect(zip(scales, scales.dropFirst()).allSatisfy { $0 < $1 })
        #expect(scales.first! == 16 && scales.last! > 65536 * 256)
    }
}
