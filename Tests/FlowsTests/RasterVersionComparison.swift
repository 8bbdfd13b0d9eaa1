import Foundation
import Testing
@testable import Flows

/// Raster payload version 4 against version 5 (bias cancellation, gradient sub-predictor) on a
/// folder of PNM files: exact stream sizes in bits per sub-pixel, each stream decoded back. Runs
/// only when `FLOWZIP_RASTER_COMPARE` names the folder; use a release build
/// (`swift test -c release -Xswiftc -enable-testing --filter RasterVersionComparison`).
/// bench/results/raster-v5.md has the figures on the dev set and the test split.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_RASTER_COMPARE"] != nil))
struct RasterVersionComparison {
    @Test func comparesVersionFourAndFive() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_RASTER_COMPARE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") || $0.hasSuffix(".pgm") }.sorted()
        var bits = [0, 0], samples = 0
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let n = image.width * image.height * image.channels
            var sizes = [Int]()
            for bias in [false, true] {
                let stream = try ImageFlowCodec.encodeRaster(image, options: .init(), biasCancellation: bias)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: n) == image, "\(name)")
                sizes.append(stream.count * 8)
            }
            print(name, String(format: "v4 %.4f v5 %.4f %+.2f%%", Double(sizes[0]) / Double(n), Double(sizes[1]) / Double(n),
                               100 * (Double(sizes[1]) / Double(sizes[0]) - 1)))
            bits[0] += sizes[0]; bits[1] += sizes[1]; samples += n
        }
        print(String(format: "total v4 %.4f v5 %.4f %+.2f%%", Double(bits[0]) / Double(samples), Double(bits[1]) / Double(samples),
                     100 * (Double(bits[1]) / Double(bits[0]) - 1)))
    }
}
