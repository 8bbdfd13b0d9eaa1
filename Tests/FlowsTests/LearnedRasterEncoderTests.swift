import EntropyCoding
import Testing
@testable import Flows

/// The encoder-only statistics of payload version 6 (`LearnedRasterCoder.RefitStatistics`): the
/// batched Gram matrix (`fz_gram_accumulate`) and the moments against plain Int64 sums.
struct LearnedRasterEncoderTests {
    /// Random inputs with the extremes of their ranges (hidden 0...4095, features ±2048), over
    /// part batches and an odd dimension (model 4's), give the plain sums of the Q8 inputs
    /// (hidden, features × 4, 256) in the Gram's upper triangle and in the moments.
    @Test(arguments: [1, 127, 128, 300])
    func gramMatchesPlainSums(count: Int) {
        for kernel in 0...RasterNetwork.bestKernel { gramMatchesPlainSums(count: count, kernel: kernel) }
    }

    func gramMatchesPlainSums(count: Int, kernel: Int32) {
        let hidden = RasterNetwork.width, features = 34, d = hidden + features + 1
        var statistics = LearnedRasterCoder.RefitStatistics(
            groups: LearnedRasterSide.refitClasses, dimension: d, hidden: hidden, shift: 0, samples: [count],
            prior: LearnedResidualPrior(prior: ResidualPrior(bitDepth: 8), shift: 0))
        statistics.kernel = kernel
        var random = SplitMix64(seed: 0x6A4D)
        var gram = [Int64](repeating: 0, count: d * d), moments = [Int64](repeating: 0, count: d)
        let h = UnsafeMutablePointer<Int16>.allocate(capacity: hidden), f = UnsafeMutablePointer<Int16>.allocate(capacity: features)
        defer { h.deallocate(); f.deallocate() }
        for n in 0..<count {
            // Every fourth sample sits on the extremes, where the Int32 sums come nearest to wrapping.
            let extreme = n % 4 == 0
            for k in 0..<hidden { h[k] = extreme ? 4095 : Int16(random.next() % 4096) }
            for k in 0..<features { f[k] = extreme ? (k % 2 == 0 ? -2048 : 2048) : Int16(Int(random.next() % 4097) - 2048) }
            let value = Int32(random.next() % 256)
            let pixel = LearnedRasterCoder.Pixel(channel: 0, baseQ8: 0, networkMeanQ8: 128 << 8, meanQ8: 128 << 8,
                                                 shape: .single(raw: 32), bucket: 0, hidden: UnsafePointer(h), features: UnsafePointer(f))
            _ = try? statistics.visit(pixel, value: value)
            let inputs = (0..<hidden).map { Int64(h[$0]) } + (0..<features).map { 4 * Int64(f[$0]) } + [256]
            let target = (Int64(value) << 8) - (128 << 8)
            for i in 0..<d {
                moments[i] += inputs[i] * target
                for j in i..<d { gram[i * d + j] += inputs[i] * inputs[j] }
            }
        }
        let group = LearnedRasterSide.refitClass(bucket: 0)
        statistics.flush(group)
        #expect(statistics.counts[group] == count)
        #expect(statistics.moments[group] == moments)
        #expect((0..<d).allSatisfy { i in (i..<d).allSatisfy { j in statistics.gram[group][i * d + j] == gram[i * d + j] } },
                "kernel \(kernel)")
    }
}
