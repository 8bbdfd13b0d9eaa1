import Foundation
import Testing
@testable import Flows

/// The raster coding's colour stages (YCoCg-R and each `RasterColourTransform`) on a folder of PPM
/// files: exact stream sizes in bits per sub-pixel, each stream decoded back, and the per-image
/// best. Runs only when `FLOWZIP_COLOUR_COMPARE` names the folder; use a release build
/// (`swift test -c release -Xswiftc -enable-testing --filter RasterColourComparison`).
/// bench/results/raster-colour.md has the figures.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_COLOUR_COMPARE"] != nil))
struct RasterColourComparison {
    @Test func comparesColourStages() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_COLOUR_COMPARE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".ppm") }.sorted()
        let stages: [RasterColourTransform?] = [nil] + RasterColourTransform.allCases
        var bits = [Int](repeating: 0, count: stages.count + 1), samples = 0
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let n = image.width * image.height * image.channels
            var sizes = [Int]()
            for stage in stages {
                let stream = try ImageFlowCodec.encodeRaster(image, options: .init(), rasterColour: stage)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: n) == image, "\(name)")
                sizes.append(stream.count * 8)
            }
            sizes.append(sizes.min()!)
            print(name, sizes.map { String(format: "%.4f", Double($0) / Double(n)) }.joined(separator: " "),
                  String(format: "best %+.2f%%", 100 * (Double(sizes.last!) / Double(sizes[0]) - 1)))
            for i in sizes.indices { bits[i] += sizes[i] }
            samples += n
        }
        print("total ycocg/" + RasterColourTransform.allCases.map { "\($0)" }.joined(separator: "/") + "/best",
              bits.map { String(format: "%.4f", Double($0) / Double(samples)) }.joined(separator: " "),
              String(format: "best %+.2f%%", 100 * (Double(bits.last!) / Double(bits[0]) - 1)))
    }
}
