import Foundation
import Testing
@testable import Flows

/// Where the bits go: per image, the logistic prior's exact code length under version 1's
/// contexts, version 3's (`NeighbourErrors`), and variants: contexts that also see the residual magnitudes of the already-coded pixels
/// next to each pixel (from coarser levels and earlier bands of the same level). Scales fitted
/// per file as the codec does, one header byte per used context counted. Runs only when
/// `FLOWZIP_ANALYSE` names a directory of PNM files.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"] != nil))
struct ResidualCostAnalysis {
    /// Mean |residual| (×4) of the already-coded image neighbours at distance 1 of every subband
    /// pixel, per record (empty for coarse records).
    static func neighbourErrors(_ records: [BandRecord], layout: ImageLayout, channels: Int) -> [[Int32]] {
        var out = [[Int32]](repeating: [], count: records.count)
        var e = [[Int32]](), r = 0
        for _ in 0..<channels { e.append(records[r].residuals.map { $0.magnitude32 }); r += 1 }
        for level in stride(from: layout.levels - 1, through: 0, by: -1) {
            let (w, h) = layout.sizes[level]
            var maps = [[Int32]](repeating: [Int32](repeating: 0, count: w * h), count: channels)
            let (cw, _) = layout.sizes[level + 1]
            for ch in 0..<channels { for y in stride(from: 0, to: h, by: 2) { for x in stride(from: 0, to: w, by: 2) {
                maps[ch][y * w + x] = e[ch][(y / 2) * cw + x / 2] } } }
            for sb in 0..<3 {
                for ch in 0..<channels {
                    let rec = records[r]
                    let bw = sb == 1 ? w / 2 : sb == 0 ? w / 2 : (w + 1) / 2
                    var ne = [Int32](repeating: 0, count: rec.residuals.count)
                    for i in rec.residuals.indices {
                        let bi = i / bw, bj = i % bw
                        let (y, x) = sb == 0 ? (2 * bi + 1, 2 * bj + 1) : sb == 1 ? (2 * bi, 2 * bj + 1) : (2 * bi + 1, 2 * bj)
                        let offs = sb == 0 ? [(-1, -1), (-1, 1), (1, -1), (1, 1)] : [(-1, 0), (1, 0), (0, -1), (0, 1)]
                        var sum: Int32 = 0, n: Int32 = 0
                        for (dy, dx) in offs where (0..<h).contains(y + dy) && (0..<w).contains(x + dx) {
                            sum += maps[ch][(y + dy) * w + x + dx]; n += 1
                        }
                        ne[i] = n == 0 ? 0 : sum * 4 / n
                    }
                    out[r] = ne
                    for i in rec.residuals.indices {
                        let bi = i / bw, bj = i % bw
                        let (y, x) = sb == 0 ? (2 * bi + 1, 2 * bj + 1) : sb == 1 ? (2 * bi, 2 * bj + 1) : (2 * bi + 1, 2 * bj)
                        maps[ch][y * w + x] = rec.residuals[i].magnitude32
                    }
                    r += 1
                }
            }
            e = maps
        }
        return out
    }

    @Test func comparesContexts() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") || $0.hasSuffix(".pgm") }.sorted()
        let variants = ["v1", "v3 codec", "1D a=3", "1D a=4", "1D a=6", "2D x5", "1D a=1 +2D x3"]
        var totals = [Double](repeating: 0, count: variants.count), samplesAll = 0.0
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let samples = Double(image.width * image.height * image.channels)
            let hook = LearnedPriorHook(model: nil, channels: image.channels)
            let (resolver, _, compactions) = try ImageFlowCodec.infer(image, options: .init(neighbourContext: false), hook: hook)
            let records = resolver.records
            let shift = ImageFlowCodec.activityShift(bitDepth: image.bitDepth, compactions: compactions)
            let ne = Self.neighbourErrors(records, layout: ImageLayout(width: image.width, height: image.height), channels: image.channels)
            let prior = ResidualPrior(bitDepth: image.bitDepth)
            let k = InterlacedPredictor.contextCount
            func cost(_ recs: [BandRecord], groups: Int) -> Double {
                let scales = ScaleFitter(prior: prior, groups: groups).fit(recs)
                var bits = Double(scales.filter { $0 != ImageStreamHeader.unusedScale }.count * 8)
                for r in recs { for i in r.residuals.indices {
                    bits += Double(prior.costQ16(r.residuals[i], scaleIndex: Int(scales[r.group * k + Int(r.contexts[i])]), meanQ8: Int32(r.meansQ8[i]))) / 65536
                } }
                return bits
            }
            let g = image.channels * ImageLayout.groupsPerChannel
            let v3 = try ImageFlowCodec.infer(image, options: .init(), hook: LearnedPriorHook(model: nil, channels: image.channels)).resolver.records
            var results = [cost(records, groups: g), cost(v3, groups: g)]
            for (num, den) in [(3, 1), (4, 1), (6, 1)] {
                var recs = records
                for j in recs.indices where !recs[j].sums.isEmpty {
                    for i in recs[j].residuals.indices {
                        recs[j].contexts[i] = InterlacedPredictor.bucket((recs[j].sums[i] &+ ne[j][i] * Int32(num) / Int32(4 * den)) >> shift)
                    }
                }
                results.append(cost(recs, groups: g))
            }
            for (variant, (bands, useSum)) in [(5, false), (3, true)].enumerated() {
                _ = variant
                var recs = records
                for j in recs.indices {
                    recs[j] = BandRecord(group: recs[j].group * bands, residuals: recs[j].residuals, meansQ8: recs[j].meansQ8, contexts: recs[j].contexts, sums: recs[j].sums)
                    guard !recs[j].sums.isEmpty else { continue }
                    for i in recs[j].residuals.indices {
                        if useSum { recs[j].contexts[i] = InterlacedPredictor.bucket((recs[j].sums[i] &+ ne[j][i] / 4) >> shift) }
                        // second axis: the neighbour error against the activity context's level
                        let a = Int(InterlacedPredictor.bucket(ne[j][i] / 4 >> shift)), c = Int(recs[j].contexts[i])
                        let rel = a - c   // roughly log-ratio of the two, in half octaves
                        let b = bands == 5 ? min(4, max(0, rel / 2 + 2)) : min(2, max(0, rel / 3 + 1))
                        // encode the second axis in the group (fitter keys are group × k + context)
                        _ = b
                    }
                }
                // rebuild per pixel groups: split records per band value by making one record per pixel group
                var split = [BandRecord]()
                for j in recs.indices {
                    if recs[j].sums.isEmpty { split.append(recs[j]); continue }
                    var parts = (0..<bands).map { BandRecord(group: recs[j].group + $0, residuals: [], meansQ8: [], contexts: []) }
                    for i in recs[j].residuals.indices {
                        let a = Int(InterlacedPredictor.bucket(ne[j][i] / 4 >> shift)), c = Int(recs[j].contexts[i])
                        let rel = a - c
                        let b = bands == 5 ? min(4, max(0, rel / 2 + 2)) : min(2, max(0, rel / 3 + 1))
                        parts[b].residuals.append(recs[j].residuals[i]); parts[b].meansQ8.append(recs[j].meansQ8[i]); parts[b].contexts.append(recs[j].contexts[i])
                    }
                    split.append(contentsOf: parts)
                }
                results.append(cost(split, groups: g * bands))
            }
            for j in results.indices { totals[j] += results[j] }
            samplesAll += samples
            print("ana \(name): " + zip(variants, results).map { String(format: "%@ %.4f", $0.0, $0.1 / samples) }.joined(separator: " | "))
        }
        print("ana ALL: " + zip(variants, totals).map { String(format: "%@ %.4f", $0.0, $0.1 / samplesAll) }.joined(separator: " | "))
    }
}

/// Real stream sizes side by side, all round-tripped: version 1 only (what the encoder wrote
/// before versions 3 and 4), version 3 only, and the default (3 or 4 per strip, the smaller).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"] != nil))
struct VersionComparison {
    @Test func comparesVersions() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_ANALYSE"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") || $0.hasSuffix(".pgm") }.sorted()
        let variants = [ImageFlowOptions(neighbourContext: false, rasterChoice: false), ImageFlowOptions(rasterChoice: false), ImageFlowOptions()]
        var bytes = [0, 0, 0], samplesAll = 0
        for name in names {
            let image = try PhotoMeasurement().readPNM(dir + "/" + name)
            let samples = image.width * image.height * image.channels
            var sizes = [Int]()
            for options in variants {
                let stream = try ImageFlowCodec.encode(image, options: options)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: samples) == image, "\(name) round-trips")
                sizes.append(stream.count)
            }
            for j in 0..<3 { bytes[j] += sizes[j] }
            samplesAll += samples
            print(String(format: "versions %@ v1 %.4f v3 %.4f default %.4f bpsp (%+.2f %%)", name, Double(sizes[0] * 8) / Double(samples),
                         Double(sizes[1] * 8) / Double(samples), Double(sizes[2] * 8) / Double(samples),
                         100 * Double(sizes[2] - sizes[0]) / Double(sizes[0])))
        }
        print(String(format: "versions ALL v1 %.4f v3 %.4f default %.4f bpsp (%+.2f %%)", Double(bytes[0] * 8) / Double(samplesAll),
                     Double(bytes[1] * 8) / Double(samplesAll), Double(bytes[2] * 8) / Double(samplesAll),
                     100 * Double(bytes[2] - bytes[0]) / Double(bytes[0])))
    }
}

/// Real stream sizes: interlaced only (v3) against raster only (v4), round-tripped.
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
