import Foundation
import Testing
@testable import Flows

/// Real stream sizes side by side, all round-tripped: interlaced only (version 3) and the default
/// (interlaced or raster per strip, the smaller). (Version 1 is decode-only now: the encoder no longer
/// writes it.)
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"] != nil))
struct VersionComparison {
    @Test func comparesVersions() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") || $0.hasSuffix(".pgm") }.sorted()
        let variants = [ImageFlowOptions(rasterChoice: false), ImageFlowOptions()]
        var bytes = [0, 0], samplesAll = 0
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let samples = image.width * image.height * image.channels
            var sizes = [Int]()
            for options in variants {
                let stream = try ImageFlowCodec.encode(image, options: options)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: samples) == image, "\(name) round-trips")
                sizes.append(stream.count)
            }
            for j in 0..<2 { bytes[j] += sizes[j] }
            samplesAll += samples
            print(String(format: "versions %@ v3 %.4f default %.4f bpsp (%+.2f %%)", name, Double(sizes[0] * 8) / Double(samples),
                         Double(sizes[1] * 8) / Double(samples), 100 * Double(sizes[1] - sizes[0]) / Double(sizes[0])))
        }
        print(String(format: "versions ALL v3 %.4f default %.4f bpsp (%+.2f %%)", Double(bytes[0] * 8) / Double(samplesAll),
                     Double(bytes[1] * 8) / Double(samplesAll), 100 * Double(bytes[1] - bytes[0]) / Double(bytes[0])))
    }
}

/// Real stream sizes: interlaced only (v3) against raster only (v5), round-tripped.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"] != nil))
struct RasterEstimate {
    @Test func comparesRasterOrder() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") || $0.hasSuffix(".pgm") }.sorted()
        var totals = [0.0, 0.0], samplesAll = 0.0
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let n = image.width * image.height * image.channels
            let samples = Double(n)
            let flow = try ImageFlowCodec.encode(image, options: .init(rasterChoice: false))
            let raster = try ImageFlowCodec.encodeRaster(image, options: .init())
            let measure = PhotoMeasurement()
            let t0 = measure.threadSeconds()
            #expect(try ImageFlowCodec.decode(raster, maxSamples: n) == image, "\(name) round-trips in raster order")
            let t1 = measure.threadSeconds()
            #expect(try ImageFlowCodec.decode(flow, maxSamples: n) == image, "\(name) round-trips interlaced")
            let t2 = measure.threadSeconds()
            let mp = Double(image.width * image.height) / 1e6
            let (f, r) = (Double(flow.count * 8), Double(raster.count * 8))
            totals[0] += f; totals[1] += r; samplesAll += samples
            print(String(format: "raster %@ flow v3 %.4f raster %.4f (%+.1f %%) decode MP/s (thread CPU): v3 %.2f raster %.2f", name,
                         f / samples, r / samples, 100 * (r / f - 1), mp / (t2 - t1), mp / (t1 - t0)))
        }
        print(String(format: "raster ALL flow v3 %.4f raster %.4f (%+.1f %%)", totals[0] / samplesAll, totals[1] / samplesAll, 100 * (totals[1] / totals[0] - 1)))
    }
}

/// Estimated bits per channel (of all sub-pixels) for the interlaced coding, with and without the
/// YCoCg-R lifting.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"] != nil))
struct ChannelCosts {
    @Test func perChannel() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") }.sorted()
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let samples = Double(image.width * image.height * image.channels)
            for lifting in [true, false] {
                let options = ImageFlowOptions(colourLifting: lifting, rasterChoice: false)
                let records = try ImageFlowCodec.infer(image, options: options, hook: LearnedPriorHook(model: nil, channels: image.channels)).resolver.records
                let prior = ResidualPrior(bitDepth: image.bitDepth)
                let k = InterlacedPredictor.contextCount
                let scales = ScaleFitter(prior: prior, groups: image.channels * ImageLayout.groupsPerChannel).fit(records)
                var perChannel = [Double](repeating: 0, count: image.channels)
                var perGroup = [Double](repeating: 0, count: image.channels * 7)
                for r in records { for i in r.residuals.indices {
                    perGroup[r.group] += Double(prior.costQ16(r.residuals[i], scaleIndex: Int(scales[r.group * k + Int(r.contexts[i])]), meanQ8: Int32(r.meansQ8[i]))) / 65536
                    perChannel[r.group / 7] += Double(prior.costQ16(r.residuals[i], scaleIndex: Int(scales[r.group * k + Int(r.contexts[i])]), meanQ8: Int32(r.meansQ8[i]))) / 65536
                } }
                let real = try ImageFlowCodec.encode(image, options: options).count * 8
                print(String(format: "chan %@ lifting %d real %.4f per channel: %@", name, lifting ? 1 : 0, Double(real) / samples,
                             perChannel.map { String(format: "%.4f", $0 / samples) }.joined(separator: " ")))
                print("chan   groups (d0 bc0 d1 bc1 d2+ bc2+ coarse) per channel:", perGroup.map { String(format: "%.3f", $0 / samples) }.joined(separator: " "))
            }
        }
    }
}
