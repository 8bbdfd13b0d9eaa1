import Testing
@testable import Flows

/// Payload version 5 (raster order, `RasterCoder` with `BiasCancellation`) and version 3
/// (neighbour-error context): round trips of every shape, the encoder's choice between them, and
/// damaged streams. (Version 4 is decode-only: FormatTests' goldens pin it.)
struct RasterCoderTests {
    @Test(arguments: [1, 2, 3, 4], [8, 16])
    func rasterOrderRoundTripsEverySizeAndPattern(channels: Int, bitDepth: Int) throws {
        for (w, h) in ImageFlowCodecTests.sizes {
            for pattern in Pattern.allCases where (w * h <= 300 || pattern == .smooth || pattern == .random) {
                let img = try image(pattern, width: w, height: h, channels: channels, bitDepth: bitDepth)
                let stream = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false))
                #expect(stream.first == ImageStreamHeader.biasCancellationVersion)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: w * h * channels) == img,
                        "\(w)×\(h)×\(channels) \(bitDepth)-bit \(pattern)")
                for colour in RasterColourTransform.allCases where channels >= 3 {
                    let stream = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false), rasterColour: colour)
                    #expect(stream[3] & 64 != 0 && stream[ImageStreamHeader.fixedBytes] == colour.rawValue)
                    #expect(try ImageFlowCodec.decode(stream, maxSamples: w * h * channels) == img,
                            "\(w)×\(h)×\(channels) \(bitDepth)-bit \(pattern) \(colour)")
                }
            }
        }
    }

    /// A constant offset the weighted predictor cannot see (every other column 5 above a smooth
    /// ramp) is what bias cancellation learns: over the plane, the corrected predictions (what
    /// version 5 codes) leave clearly smaller residuals than the predictor's own.
    @Test func biasCancellationLearnsASystematicError() throws {
        var plane = Plane(width: 64, height: 48)
        for y in 0..<48 { for x in 0..<64 { plane[x, y] = Int32(60 + x + y / 2 + (x & 1) * 5) } }
        var predictor = RasterPredictor<RasterVersion5>(width: 64)
        var bias = BiasCancellation()
        var plain = 0, corrected = 0
        plane.samples.withUnsafeBufferPointer { v in
            for y in 0..<48 {
                for x in 0..<64 {
                    let i = y * 64 + x
                    let (base, activity) = predictor.predict(v, x: x, y: y, lead: 0)
                    let context = BiasCancellation.context(bucket: InterlacedPredictor.bucket(activity), texture: predictor.texture)
                    plain += Int((v[i] - roundQ8(base)).magnitude)
                    corrected += Int((v[i] - roundQ8(base + bias.correctionQ8(context))).magnitude)
                    bias.update(context, errorQ8: Int64(v[i]) << 8 - Int64(base))
                    predictor.update(x: x, y: y, value: v[i])
                }
            }
        }
        #expect(corrected * 10 < plain * 9, "corrected \(corrected), plain \(plain)")
        let img = try PixelImage(width: 64, height: 48, bitDepth: 8, planes: [plane])
        #expect(try ImageFlowCodec.decode(try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false)), maxSamples: 64 * 48) == img)
    }

    @Test func biasCancellationTracksTheRunningMeanAndHalves() {
        var bias = BiasCancellation()
        let c = BiasCancellation.context(bucket: UInt8(InterlacedPredictor.contextCount - 1), texture: 63)
        #expect(c == BiasCancellation.contextCount - 1)
        #expect(bias.correctionQ8(c) == 0)
        for e: Int64 in [300, 100, -50] { bias.update(c, errorQ8: e) }
        #expect(bias.correctionQ8(c) == 117)              // (350 + 1) / 3, rounded down
        bias.update(c, errorQ8: -351)
        #expect(bias.correctionQ8(c) == 0)                // (−1 + 2) / 4 floors to 0
        for _ in 0..<Int(BiasCancellation.halvingCount) { bias.update(c, errorQ8: -256) }
        // At count 128 sum and count halve (−31745 → −15873, 64); four more: −16897 / 68.
        #expect(bias.correctionQ8(c) == -248)
        #expect(bias.correctionQ8(BiasCancellation.context(bucket: 0, texture: 0)) == 0)
    }

    @Test(arguments: [ImageFlowOptions(colourLifting: false, channelConditioning: false),
                      ImageFlowOptions(colourLifting: true, channelConditioning: false),
                      ImageFlowOptions(colourLifting: false, channelConditioning: true, valueCompaction: false)])
    func rasterOrderRoundTripsWithEveryOption(_ options: ImageFlowOptions) throws {
        let img = try image(.smooth, width: 23, height: 19, channels: 3, bitDepth: 8)
        #expect(try ImageFlowCodec.decode(try ImageFlowCodec.encodeRaster(img, options: options), maxSamples: 23 * 19 * 3) == img)
    }

    @Test func neighbourContextRoundTripsEverySize() throws {
        for (w, h) in ImageFlowCodecTests.sizes {
            for channels in [1, 3] {
                let img = try image(.smooth, width: w, height: h, channels: channels, bitDepth: 8)
                let stream = try ImageFlowCodec.encode(img, options: .init(rasterChoice: false))
                #expect(stream.first == ImageStreamHeader.neighbourVersion)
                #expect(try ImageFlowCodec.decode(stream, maxSamples: w * h * channels) == img)
            }
        }
    }

    /// A texture the weighted predictor follows (a diagonal sawtooth), and a smooth image the
    /// hierarchy interpolates: the encoder keeps whichever coding is smaller, strip by strip.
    @Test func encoderKeepsTheSmallerCoding() throws {
        var saw = Plane(width: 48, height: 40)
        for y in 0..<40 { for x in 0..<48 { saw[x, y] = Int32((x * 37 + y * 11) % 97 + (x + y) % 3) } }
        let texture = try PixelImage(width: 48, height: 40, bitDepth: 8, planes: [saw])
        let smooth = try image(.smooth, width: 48, height: 40, channels: 3, bitDepth: 8)
        for img in [texture, smooth] {
            let interlaced = try ImageFlowCodec.encode(img, options: .init(rasterChoice: false))
            let raster = try ImageFlowCodec.encodeRasterChoosingColour(img, options: .init())
            let chosen = try ImageFlowCodec.encode(img)
            #expect(chosen == (raster.count < interlaced.count ? raster : interlaced))
        }
        // Strips choose independently: a container may mix versions.
        let tall = try PixelImage(stacking: [texture, try image(.smooth, width: 48, height: 40, channels: 1, bitDepth: 8)])
        let stream = try ImageFlowCodec.encode(tall, options: .init(stripPixels: 48 * 40))
        #expect(try ImageFlowCodec.decode(stream, maxSamples: 48 * 80) == tall)
    }

    /// Subtract green is (G, R − G, B − G) on the extremes of the range too, and its inverse is exact;
    /// alpha passes through.
    @Test func subtractGreenLiftsAndInverts() throws {
        let r: [Int32] = [0, 255, 0, 255, 7], g: [Int32] = [255, 0, 0, 255, 9], b: [Int32] = [0, 0, 255, 255, 3]
        let a: [Int32] = [1, 2, 3, 4, 5]
        let planes = [r, g, b, a].map { Plane(width: 5, height: 1, samples: $0) }
        let lifted = try RasterColourTransform.subtractGreen.forward(planes)
        #expect(lifted.map(\.samples) == [g, zip(r, g).map { $0 - $1 }, zip(b, g).map { $0 - $1 }, a])
        #expect(try RasterColourTransform.subtractGreen.inverse(lifted) == planes)
        #expect(throws: FlowsError.self) { try RasterColourTransform.subtractGreen.forward(Array(planes[0..<2])) }
    }

    /// The encoder keeps subtract green where it is smaller: red and blue are green plus small
    /// independent noise, which subtract green leaves as it is, while YCoCg-R spreads it into luma and
    /// doubles it in Co.
    @Test func encoderChoosesTheSmallerRasterColourStage() throws {
        var g = Plane(width: 40, height: 32)
        for y in 0..<32 { for x in 0..<40 { g[x, y] = Int32(40 + (x * 37 + y * 11) % 97 + (x * y) % 5) } }
        var seed: UInt32 = 1
        func noise() -> Int32 { seed = seed &* 1_664_525 &+ 1_013_904_223; return Int32(seed >> 29) }
        let planes = [Plane(width: 40, height: 32, samples: g.samples.map { $0 + 20 + noise() }), g,
                      Plane(width: 40, height: 32, samples: g.samples.map { $0 - 30 + noise() })]
        let img = try PixelImage(width: 40, height: 32, bitDepth: 8, planes: planes)
        let ycocg = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false))
        let green = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false), rasterColour: .subtractGreen)
        #expect(green.count < ycocg.count, "subtract green \(green.count) bytes, YCoCg-R \(ycocg.count)")
        #expect(try ImageFlowCodec.encodeRasterChoosingColour(img, options: .init(learnedRaster: false)) == (green.count < ycocg.count ? green : ycocg))
        #expect(try ImageFlowCodec.decode(green, maxSamples: 40 * 32 * 3) == img)
    }

    /// Flag bit 6 needs version 5, colour lifting and no JPEG colour, and a known transform byte.
    @Test func rasterColourFlagIsValidated() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        let stream = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false), rasterColour: .subtractGreen)
        #expect(try ImageFlowCodec.decode(stream, maxSamples: 17 * 13 * 3) == img)
        for (offset, value) in [(0, UInt8(4)), (3, stream[3] & ~1), (3, stream[3] | 32),
                                (ImageStreamHeader.fixedBytes, 0), (ImageStreamHeader.fixedBytes, 2)] {
            var bad = stream
            bad[offset] = value
            #expect(throws: FlowsError.self, "byte \(offset) = \(value)") { try ImageFlowCodec.decode(bad, maxSamples: 17 * 13 * 3) }
        }
        // Bit 6 on an interlaced stream.
        var interlaced = try ImageFlowCodec.encode(img, options: .init(rasterChoice: false))
        interlaced[3] |= 64
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(interlaced, maxSamples: 17 * 13 * 3) }
    }

    @Test func everyRasterTruncationThrows() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        for colour in [nil] + RasterColourTransform.allCases {
            let stream = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false), rasterColour: colour)
            for n in 0..<stream.count {
                #expect(throws: FlowsError.self, "truncated to \(n) bytes, colour \(String(describing: colour))") {
                    try ImageFlowCodec.decode(stream[0..<n], maxSamples: 17 * 13 * 3)
                }
            }
        }
    }

    @Test func damagedRasterStreamsNeverCrashAndMostlyThrow() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        let stream = try ImageFlowCodec.encodeRaster(img, options: .init(learnedRaster: false))
        // The learned-prior flag is refused in raster order; so is a scale index off the grid.
        for (offset, value) in [(3, UInt8(0x0B)), (ImageStreamHeader.fixedBytes, 200)] {
            var bad = stream
            bad[offset] = value
            #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(bad, maxSamples: 17 * 13 * 3) }
        }
        var thrown = 0, total = 0
        for offset in ImageStreamHeader.fixedBytes..<stream.count {
            var bad = stream
            bad[offset] ^= 0x10
            total += 1
            do {
                let back = try ImageFlowCodec.decode(bad, maxSamples: 17 * 13 * 3)
                #expect(back.width == 17 && back.height == 13)
            } catch { thrown += 1 }
        }
        #expect(thrown * 10 >= total * 8, "\(thrown) of \(total) damaged streams rejected")
    }
}
