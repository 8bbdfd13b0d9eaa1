import EntropyCoding
import Foundation
import Testing
@testable import Flows

/// Payload version 6 (`LearnedRasterCoder`): the built-in network against the exporter's integer
/// reference, round trips of every shape, the side information's fitting and parsing, and
/// damaged streams.
struct LearnedRasterTests {
    /// The Swift integer inference and scripts/learned-raster/export.py's integer reference agree
    /// bit for bit on real feature vectors and on the extremes of the feature range.
    /// Every kernel this CPU can run (portable C, SSE2, AVX2, AVX-512) gives the same integers, for every
    /// model a stream can name.
    @Test func builtInNetworksMatchTheExportersReference() throws {
        for kernel in 0...RasterNetwork.bestKernel {
            typealias M1 = RasterNetworkModel1
            typealias R1 = RasterNetworkReference1
            try Self.checkReference(RasterNetwork(hidden: M1.hidden, w1: M1.w1, b1: M1.b1, s1: M1.s1, w2: M1.w2, b2: M1.b2,
                                                  s2: M1.s2, w3: M1.w3, b3: M1.b3, s3: M1.s3, kernel: kernel),
                                    features: R1.features, hiddenSums: R1.hiddenSums, outputs: R1.outputs, label: "model 1, kernel \(kernel)")
            typealias M2 = RasterNetworkModel2
            typealias R2 = RasterNetworkReference2
            try Self.checkReference(RasterNetwork(hidden: M2.hidden, w1: M2.w1, b1: M2.b1, s1: M2.s1, w2: M2.w2, b2: M2.b2,
                                                  s2: M2.s2, w3: M2.w3, b3: M2.b3, s3: M2.s3, kernel: kernel),
                                    features: R2.features, hiddenSums: R2.hiddenSums, outputs: R2.outputs, label: "model 2, kernel \(kernel)")
            typealias M4 = RasterNetworkModel4
            typealias R4 = RasterNetworkReference4
            try Self.checkReference(RasterNetwork(hidden: M4.hidden, w1: M4.w1, b1: M4.b1, s1: M4.s1, w2: M4.w2, b2: M4.b2,
                                                  s2: M4.s2, w3: M4.w3, b3: M4.b3, s3: M4.s3, kernel: kernel),
                                    features: R4.features, hiddenSums: R4.hiddenSums, outputs: R4.outputs, label: "model 4, kernel \(kernel)")
            typealias M5 = RasterNetworkModel5
            typealias R5 = RasterNetworkReference5
            try Self.checkReference(RasterNetwork(hidden: M5.hidden, w1: M5.w1, b1: M5.b1, s1: M5.s1, w2: M5.w2, b2: M5.b2,
                                                  s2: M5.s2, w3: M5.w3, b3: M5.b3, s3: M5.s3, kernel: kernel),
                                    features: R5.features, hiddenSums: R5.hiddenSums, outputs: R5.outputs, label: "model 5, kernel \(kernel)")
        }
        #expect(RasterNetwork.model(1)?.components == 1 && RasterNetwork.model(2)?.components == 2)
        #expect(RasterNetwork.model(3)?.components == 2, "model 3 runs model 2's network")
        #expect(RasterNetwork.model(4)?.components == 2 && RasterNetwork.model(4)?.inputs == RasterFeatures.wideCount)
        #expect(RasterNetwork.model(2)?.inputs == RasterFeatures.count)
        #expect(RasterNetwork.model(5)?.components == 1 && RasterNetwork.model(5)?.inputs == RasterFeatures.wideCount)
        #expect(RasterNetwork.model(0) == nil && RasterNetwork.model(6) == nil)
    }

    static func checkReference(_ network: RasterNetwork, features: [Int32], hiddenSums: [Int32], outputs: [Int32], label: String) throws {
        let n = network.inputs, m = network.hidden, o = network.outputs
        let count = features.count / n
        #expect(count == outputs.count / o && count >= 60, "\(label)")
        var h1 = [Int16](repeating: 0, count: m), h2 = [Int16](repeating: 0, count: m)
        var out = [Int32](repeating: 0, count: RasterNetwork.maxOutputs)
        for k in 0..<count {
            let x = features[k * n..<(k + 1) * n].map { Int16($0) }
            x.withUnsafeBufferPointer { xs in
                h1.withUnsafeMutableBufferPointer { a in
                    h2.withUnsafeMutableBufferPointer { b in
                        out.withUnsafeMutableBufferPointer { network.evaluate(xs.baseAddress!, h1: a.baseAddress!, h2: b.baseAddress!, out: $0.baseAddress!) }
                    }
                }
            }
            #expect(Array(out[0..<o]) == Array(outputs[o * k..<o * (k + 1)]), "\(label), vector \(k)")
            #expect(h2.reduce(0) { $0 + Int32($1) } == hiddenSums[k], "\(label), vector \(k)")
        }
    }

    /// The learned coding alone (not chosen against version 5) round-trips every size, pattern,
    /// channel count and depth, with and without the refit and scale offsets.
    @Test(arguments: [1, 3, 4], [8, 16])
    func learnedCodingRoundTrips(channels: Int, bitDepth: Int) throws {
        for (w, h) in ImageFlowCodecTests.sizes {
            for pattern in Pattern.allCases where (w * h <= 300 || pattern == .smooth || pattern == .random) {
                let img = try image(pattern, width: w, height: h, channels: channels, bitDepth: bitDepth)
                let stream = try Self.learnedStream(img)
                #expect(stream.first == ImageStreamHeader.learnedRasterVersion)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: w * h * channels) == img,
                        "\(w)×\(h)×\(channels) \(bitDepth)-bit \(pattern)")
            }
        }
    }

    /// Model 1 (one logistic) is no longer written by default but still decodes: its streams round-trip.
    @Test(arguments: [1, 3], [8, 16])
    func modelOneStillRoundTrips(channels: Int, bitDepth: Int) throws {
        for pattern in [Pattern.smooth, .random] {
            let img = try image(pattern, width: 19, height: 11, channels: channels, bitDepth: bitDepth)
            let stream = try Self.learnedStream(img, model: 1)
            let (header, _) = try ImageStreamHeader.parse(stream, maxSamples: 19 * 11 * channels)
            #expect(header.learnedRaster?.model == 1)
            #expect(try ImageFlowCodec.decode(stream, maxSamples: 19 * 11 * channels) == img)
        }
    }

    /// On a photo the learned coding fits scale offsets (at 128×128 no mean refit pays for its
    /// coefficients), and the encoder keeps the smallest of version 6 with either network and
    /// version 5. (On this small photo they are within 0.2 %: the gains are measured on real sets in
    /// bench/results.)
    @Test func photoGetsTheSmallerCodingAndTheLearnedOneFitsItsSideInformation() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../corpora/sample/astronaut-face.ppm").standardized.path
        let photo = try PhotoMeasurement().readPNM(path)
        let n = photo.width * photo.height * photo.channels
        let learned = try Self.learnedStream(photo)
        let (header, _) = try ImageStreamHeader.parse(learned, maxSamples: n)
        let side = try #require(header.learnedRaster)
        #expect(side.model == RasterNetwork.latestModel)
        #expect(side.refits.allSatisfy { $0.shift == 0 })
        #expect(side.bucketOffsets.contains { $0 != 0 })
        #expect(try ImageFlowCodec.decode(learned, maxSamples: n) == photo)
        // The encoder codes with each network, keeps the smallest, then the smaller of that and version 5.
        let options = ImageFlowOptions()
        #expect(options.rasterNetworks == [4, 5, 1] && ImageFlowOptions(search: .fast).rasterNetworks == [5, 1])
        let bestLearned = try options.rasterNetworks.map { try Self.learnedStream(photo, model: $0) }
            .min { options.writtenSize($0) < options.writtenSize($1) }!
        let chosen = try ImageFlowCodec.encodeRaster(photo, options: options)
        let handMade = try ImageFlowCodec.encodeRaster(photo, options: .init(learnedRaster: false))
        #expect(chosen == (options.writtenSize(bestLearned) < options.writtenSize(handMade) ? bestLearned : handMade))
    }

    @Test func sideInformationSerializesAndParses() throws {
        var side = LearnedRasterSide.neutral(channels: 3, model: 4)
        side.matches = [MatchOffset(dx: -3, dy: 5), MatchOffset(dx: 700, dy: 0)]
        side.bucketOffsets[5] = -7
        side.bucketOffsets[140] = 64
        let count = MeanRefit.coefficientCount(hidden: side.network.hidden, inputs: side.network.inputs)
        side.refits[1] = MeanRefit(shift: 12, coefficients: (0..<count).map { Int16($0 * 37 - 500) })
        let bytes = side.serialized()
        var offset = 0
        #expect(try LearnedRasterSide.parse(bytes, at: &offset, channels: 3) == side)
        #expect(offset == bytes.count)
        for cut in 0..<bytes.count {
            var o = 0
            #expect(throws: FlowsError.self) { try LearnedRasterSide.parse(Array(bytes[..<cut]), at: &o, channels: 3) }
        }
        // Model byte, match count and two offsets (10 bytes), then 3 × 48 bucket offsets, then the refits.
        var badModel = bytes
        badModel[0] = 6
        var badCount = bytes
        badCount[1] = 3
        var matchOnItself = bytes
        (matchOnItself[6], matchOnItself[7]) = (0, 0)
        var matchAhead = bytes
        (matchAhead[6], matchAhead[7]) = (0xFF, 0xFF)
        var badOffset = bytes
        badOffset[10] = UInt8(bitPattern: -65)
        var badShift = bytes
        badShift[10 + 3 * 48] = 31
        for bad in [badModel, badCount, matchOnItself, matchAhead, badOffset, badShift] {
            var o = 0
            #expect(throws: FlowsError.self) { try LearnedRasterSide.parse(bad, at: &o, channels: 3) }
        }
        // Model 1 has no match offsets; it and model 5 (one logistic each) one offset per bucket.
        let old = LearnedRasterSide.neutral(channels: 1, model: 1)
        #expect(old.serialized().count == 1 + 16 + 4)
        var single = side
        single.model = 5
        single.bucketOffsets = Array(side.bucketOffsets[..<(3 * 16)])
        let singleBytes = single.serialized()
        #expect(singleBytes.count == bytes.count - 2 * 3 * 16)
        offset = 0
        #expect(try LearnedRasterSide.parse(singleBytes, at: &offset, channels: 3) == single)
    }

    /// A texture tiled 2 × 2 (pseudo-random, so only the copies can predict it): the encoder finds
    /// the tile's period, and three quarters of the image cost almost nothing (under half of model
    /// 1's stream, which has no match component).
    @Test func tiledTextureIsPredictedFromItsCopies() throws {
        for (channels, bitDepth) in [(3, 8), (1, 16)] {
            let tile = try image(.random, width: 37, height: 29, channels: channels, bitDepth: bitDepth)
            let planes = tile.planes.map { p in
                Plane(width: 74, height: 58, samples: (0..<58 * 74).map { p.samples[(($0 / 74) % 29) * 37 + ($0 % 74) % 37] })
            }
            let tiled = try PixelImage(width: 74, height: 58, bitDepth: bitDepth, planes: planes)
            let stream = try Self.learnedStream(tiled)
            let (header, _) = try ImageStreamHeader.parse(stream, maxSamples: 74 * 58 * channels)
            let matches = try #require(header.learnedRaster?.matches)
            #expect(Set(matches) == [MatchOffset(dx: 37, dy: 0), MatchOffset(dx: 0, dy: 29)])
            #expect(try ImageFlowCodec.decode(stream, maxSamples: 74 * 58 * channels) == tiled)
            let withoutMatches = try Self.learnedStream(tiled, model: 1)
            #expect(stream.count * 2 < withoutMatches.count, "\(stream.count) against \(withoutMatches.count)")
        }
    }

    /// A UI-like image: tall boxes, whose vertical edges equal themselves any number of rows up, and
    /// specks that never repeat. No offset may be sent: its copy would displace the neighbourhood's
    /// copy on every speck. (Counting the edges, the search sent (32, 0) and (0, 8).)
    @Test func edgesAlongAnOffsetDoNotMakeItAMatch() throws {
        let (w, h) = (200, 160)
        var rng = SplitMix64(seed: 11)
        var samples = [Int32](repeating: 220, count: w * h)
        for box in 0..<6 {
            let (left, right) = (10 + 32 * box, 30 + 32 * box)
            for y in 10..<150 { samples[y * w + left] = 60; samples[y * w + right] = 60 }
        }
        for i in 0..<w * h where rng.next() % 64 == 0 { samples[i] = Int32(rng.next() % 200) }
        let planes = (0..<3).map { _ in Plane(width: w, height: h, samples: samples) }
        #expect(MatchSearch.offsets(planes).isEmpty)
    }

    /// A few colours scattered over a flat background: the luma of a speck does not say where it is,
    /// but once it is decoded, model 3's colour copies give its chroma from the last speck of that
    /// colour, where model 2 must code it again. Model 3's stream is smaller (by 3.2 % on
    /// this image; at least 2 % is asked), and every model decodes its own stream.
    @Test func coloursRepeatedAcrossChannelsAreCopied() throws {
        let (w, h) = (160, 120)
        var rng = SplitMix64(seed: 7)
        let palette: [[Int32]] = [[200, 10, 10], [20, 180, 40], [240, 240, 30], [90, 0, 160]]
        var planes = (0..<3).map { c in Plane(width: w, height: h, samples: [Int32](repeating: [40, 90, 160][c], count: w * h)) }
        for i in 0..<w * h where rng.next() % 16 == 0 {
            let colour = palette[Int(rng.next() % UInt64(palette.count))]
            for c in 0..<3 { planes[c].samples[i] = colour[c] }
        }
        let img = try PixelImage(width: w, height: h, bitDepth: 8, planes: planes)
        var sizes: [UInt8: Int] = [:]
        for model: UInt8 in [2, 3] {
            let stream = try Self.learnedStream(img, model: model)
            #expect(try ImageFlowCodec.decode(stream, maxSamples: w * h * 3) == img, "model \(model)")
            sizes[model] = stream.count
        }
        #expect(sizes[3]! * 100 < sizes[2]! * 98, "model 3: \(sizes[3]!) bytes, model 2: \(sizes[2]!)")
    }

    /// Every cut of a version 6 stream is an error (never a crash or a wrong image), and flipped
    /// bytes in its side information or data never crash.
    @Test func damagedStreamsFailCleanly() throws {
        let img = try image(.smooth, width: 23, height: 17, channels: 3, bitDepth: 8)
        let stream = try Self.learnedStream(img)
        let n = 23 * 17 * 3
        for cut in stride(from: 0, to: stream.count, by: 3) {
            #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(Array(stream[..<cut]), maxSamples: n) }
        }
        for k in stride(from: 12, to: stream.count, by: 5) {
            var bad = stream
            bad[k] ^= 0x5A
            if let decoded = try? ImageFlowCodec.decode(bad, maxSamples: n) { #expect(decoded.width == 23) }
        }
    }

    /// Golden streams of payload version 6, for each network model (the networks are part of the
    /// format): a small image of each kind in hex, and the committed sample photo, whose stream has
    /// mean refits and scale offsets. Each must decode to its image and today's encoder must write
    /// it again. The photo's stream refits wherever a refit solves, so that the golden pins their
    /// decoding. `FLOWZIP_REGENERATE_GOLDEN=1` rewrites the photos' files (only when the format
    /// changes on purpose).
    @Test(arguments: [(1, 3, 8), (1, 1, 16), (2, 3, 8), (2, 1, 16)])
    func versionSixGoldenStreams(_ shape: (model: UInt8, channels: Int, bitDepth: Int)) throws {
        let image = try FormatTests.goldenImage(channels: shape.channels, bitDepth: shape.bitDepth)
        let encoded = FormatTests().hex(try Self.learnedStream(image, model: shape.model))
        let golden = (shape.model == 1 ? Self.goldenV6 : Self.goldenV6Model2)[shape.channels == 3 ? 0 : 1]
        #expect(encoded == golden, "today's version 6 stream: \(encoded)")
        #expect(try ImageFlowCodec.decode(FormatTests().fromHex(golden), maxSamples: 12 * 10 * shape.channels) == image)
    }

    static let goldenV6Model2 = [
        "060308030c0000000a0000000200000000000000000000fa0ad1f301fdf106d509ff0200f5fe06f5d6e3040400f8e2e7f90eea0637f7"
        + "e009000000000000250df90005d3000000000000000000000000fafd23140228f4f5020013e8000000dd01e3f903fe0000000306ecc0"
        + "0100fac01ff8e300000000e7031f08fbde00dcfd000000e5d627000000fbcc0013eee00014e4f30f1600000009020adbea0000000000"
        + "000000000000000000f4ffff8130aa126d3d0e0d03e6d594910204dd9d7a92dd28ad4e2a750e9a1b593442cbc37f43d4ff1610d2dbb5"
        + "f34b7a9b79f7cf9598dd3a1f69ed54ce1a365068db8399bf19ef22eef44566550269cddfcf42327210a7e7a2032f31264c6df98a7d32"
        + "a7aa54d3544ae9ff4a2bb6db12",
        "060110020c0000000a0000000200e80ee9000000000000f909f2fa00010c020309fe04f7f1edddf504f9f91ac0f234000000000000ff"
        + "f60500000000000000000000000f4857b839000a0245da8c8727b0d8ee7d8208ad5981b10f90ee091085b7ca5dd621be9825cdd9b4ee"
        + "ceb8ee8f8947b0f1919b46816777515d560d12cd4e90a087fa8c59cb54104748cdd40b758fb35896599faf905d35041f051c7b455582"
        + "92342cc86627d7a6813980f08b5dd81c2fb8fdf642d4d5801b44b13ddde8c641501f562ffea64fcb737efec8847957030b24c7c0122a"
        + "e439b0d6a6bea2b53f58d3c783b6e50387cf870b3cc4f3e77dc2be6cc9603b",
    ]

    static let goldenV6 = [
        "060308030c0000000a00000001000000250302ff01fd0100f8faed00e41d050800de000000cdf0fc06ff0ce8f7faeb0000dd000000d0ff"
        + "000a0b0a0ce800000000000000000000000000ffff11000b080000c4e0f7845dc77b4e60395e23a133e6592094bf43228e5f0544cc7b"
        + "7e6fac7fffc2994c1730a3df35722a026ca7a9824157d948ab1bc6f9166abc8ef5dcce91b184e1d2bb77f36749b5e812c201d35e9bdb"
        + "ff4a553b806b28f7fff2ffffffe0e5ffbfffbf69d298fdb9e5ff3f42df115134cdffbf198f1f73df9d648b80b03ecc77d39e7609025d"
        + "d729683da688ef85e1aa39202b4094ff3f3598d29a6d317ebbd1ea499436b921bce9613ae20777ba1045142b3e9305d6d0ece7225621"
        + "0d00c0",
        "060110020c0000000a00000001d0000000060201ff00f9f000f300000000000000006e9ef2d100000000a195f8eaec94faf183d0330c"
        + "e2e4c7a5cc0ae3d02bcb3b972991296f55c40bd03faaed91ad787217e2447b55ab26e81640da01dad22fc388dbec0ccb019b08796eb6"
        + "f4c08206e6da9be8c957d1073aec459e6c783f7864ec5152629a8ba8eb6ed6bcc40d69b52bc4e194338b2b14c305b5483c3f96a373be"
        + "95136839b49e72a783cf89202ab4792c054a20f6564334269dfa9147d4f1ac79153e47edaa506678104dce1983af31976d00a15e7004"
        + "28fb7bf0edd25f307884ffffffc7",
    ]

    @Test(arguments: [(UInt8(1), "flow-raster-v6-astronaut.bin"), (2, "flow-raster-v6-model2-astronaut.bin"),
                      (3, "flow-raster-v6-model3-astronaut.bin"), (4, "flow-raster-v6-model4-astronaut.bin"),
                      (5, "flow-raster-v6-model5-astronaut.bin")])
    func versionSixGoldenPhoto(model: UInt8, file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let photo = try PhotoMeasurement().readPNM(root.appendingPathComponent("../../corpora/sample/astronaut-face.ppm").standardized.path)
        let url = root.appendingPathComponent("../FlowZipTests/Golden/\(file)").standardized
        let stream = try Self.learnedStream(photo, model: model, refitEverywhere: true)
        if ProcessInfo.processInfo.environment["FLOWZIP_REGENERATE_GOLDEN"] != nil { try Data(stream).write(to: url) }
        let golden = [UInt8](try Data(contentsOf: url))
        let (header, _) = try ImageStreamHeader.parse(golden, maxSamples: 128 * 128 * 3)
        #expect(header.learnedRaster?.refits.contains { $0.shift > 0 } == true)
        #expect(header.learnedRaster?.model == model)
        #expect(try ImageFlowCodec.decode(golden, maxSamples: 128 * 128 * 3) == photo)
        #expect(stream == golden, "today's encoder writes the golden stream")
    }

    /// The version 6 stream of `img` (YCoCg-R) with network `model`, whatever version 5 would give.
    static func learnedStream(_ img: PixelImage, model: UInt8 = RasterNetwork.latestModel, refitEverywhere: Bool = false) throws -> [UInt8] {
        let options = ImageFlowOptions()
        let (planes, lifting, compactions) = try ImageFlowCodec.prepare(img, options: options)
        let shift = ImageFlowCodec.activityShift(bitDepth: img.bitDepth, compactions: compactions)
        let prior = ResidualPrior(bitDepth: img.bitDepth)
        let (side, stack) = try LearnedRasterCoder.encode(planes, model: model, shift: shift, prior: prior,
                                                          refitEverywhere: refitEverywhere)
        let header = ImageStreamHeader(channels: img.channels, bitDepth: img.bitDepth, colourLifting: lifting,
                                       channelConditioning: true, raster: true, biasCancellation: true,
                                       width: img.width, height: img.height, scales: [], corrections: [],
                                       compactions: compactions, learnedRaster: side)
        return header.serialized() + stack.bytes
    }
}

/// The training samples come from the coding loop: every `keepEvery`-th sub-pixel in coding order,
/// its value and base prediction, features within their bound.
struct RasterSampleTests {
    @Test func samplesFollowTheCodingOrder() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        let all = try ImageFlowCodec.rasterSamples(of: img)
        let (planes, _, _) = try ImageFlowCodec.prepare(img, options: .init())
        let values: [Int32] = planes.flatMap { $0.samples }
        #expect(all.values == values)
        var channels = [UInt8]()
        for c in planes.indices { channels += [UInt8](repeating: UInt8(c), count: 17 * 13) }
        #expect(all.channels == channels)
        let n = RasterSampleSet.featureCount
        #expect(all.features.count == all.count * n)
        let limit = Int16(RasterFeatures.limit)
        #expect(all.features.allSatisfy { $0 >= -limit && $0 <= limit })
        var closeToBase = true
        for k in 0..<all.count where (all.values[k] - roundQ8(all.basesQ8[k])).magnitude >= 64 { closeToBase = false }
        #expect(closeToBase)
        let third = try ImageFlowCodec.rasterSamples(of: img, keepEvery: 3)
        let kept: [Int] = Array(stride(from: 0, to: all.count, by: 3))
        let keptValues: [Int32] = kept.map { all.values[$0] }
        #expect(third.values == keptValues)
        var keptFeatures = [Int16]()
        for k in kept { keptFeatures += all.features[k * n..<(k + 1) * n] }
        #expect(third.features == keptFeatures)
    }
}
