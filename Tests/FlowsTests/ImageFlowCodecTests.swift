import Testing
@testable import Flows

/// The whole image codec round-trips every shape, depth and channel count, compresses what it is
/// built for, and rejects damaged streams with an error.
struct ImageFlowCodecTests {
    static let sizes = [(1, 1), (1, 7), (7, 1), (3, 5), (17, 13), (64, 64)]

    @Test(arguments: [1, 2, 3, 4], [8, 16])
    func roundTripsEverySizeAndPattern(channels: Int, bitDepth: Int) throws {
        for (w, h) in Self.sizes {
            for pattern in Pattern.allCases where (w * h <= 300 || pattern == .smooth || pattern == .random) {
                let img = try image(pattern, width: w, height: h, channels: channels, bitDepth: bitDepth)
                let stream = try ImageFlowCodec.encode(img)
                let back = try ImageFlowCodec.decode(stream, maxSamples: w * h * channels)
                #expect(back == img, "\(w)×\(h)×\(channels) \(bitDepth)-bit \(pattern)")
            }
        }
    }

    @Test(arguments: [ImageFlowOptions(colourLifting: false, channelConditioning: false),
                      ImageFlowOptions(colourLifting: true, channelConditioning: false),
                      ImageFlowOptions(colourLifting: false, channelConditioning: true)])
    func roundTripsWithEveryOption(_ options: ImageFlowOptions) throws {
        let img = try image(.smooth, width: 23, height: 19, channels: 3, bitDepth: 8)
        let back = try ImageFlowCodec.decode(try ImageFlowCodec.encode(img, options: options), maxSamples: 23 * 19 * 3)
        #expect(back == img)
    }

    @Test(arguments: [1, 7, 13, 64, 200])
    func roundTripsInStrips(rowsPerStrip: Int) throws {
        let img = try image(.smooth, width: 17, height: 61, channels: 3, bitDepth: 8)
        let options = ImageFlowOptions(stripPixels: 17 * rowsPerStrip)
        let stream = try ImageFlowCodec.encode(img, options: options)
        // Whole: one single stream (interlaced version 3 or raster version 4, whichever is smaller).
        #expect(rowsPerStrip < 61 ? stream[0] == StripContainer.marker : [3, 4, 5].contains(stream[0]))
        #expect(try ImageFlowCodec.decode(stream, maxSamples: 17 * 61 * 3) == img)
    }

    @Test(arguments: [(8, 1 << 20), (8, 17 * 5), (16, 17 * 7)])
    func interleavedBytesCodeLikeImages(bitDepth: Int, stripPixels: Int) throws {
        let img = try image(.smooth, width: 17, height: 23, channels: 3, bitDepth: bitDepth)
        let bytes = img.interleavedBytes()
        let options = ImageFlowOptions(stripPixels: stripPixels)
        let stream = try ImageFlowCodec.encode(interleaved: bytes[...], width: 17, height: 23, channels: 3,
                                               bitDepth: bitDepth, options: options)
        #expect(stream == (try ImageFlowCodec.encode(img, options: options)))
        #expect(try ImageFlowCodec.decodeInterleaved(stream[...], byteCount: bytes.count) == bytes)
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decodeInterleaved(stream[...], byteCount: bytes.count - 1) }
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decodeInterleaved(stream[...], byteCount: bytes.count + 1) }
        #expect(throws: FlowsError.self) {
            try ImageFlowCodec.encode(interleaved: bytes.dropLast(), width: 17, height: 23, channels: 3, bitDepth: bitDepth)
        }
    }

    @Test func damagedStripContainersThrow() throws {
        let img = try image(.smooth, width: 16, height: 20, channels: 1, bitDepth: 8)
        let stream = try ImageFlowCodec.encode(img, options: ImageFlowOptions(stripPixels: 16 * 8))
        for n in stride(from: 0, to: stream.count, by: 7) {
            #expect(throws: FlowsError.self, "truncated to \(n)") { try ImageFlowCodec.decode(stream[0..<n], maxSamples: 320) }
        }
        var extra = stream
        extra.append(0)
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(extra, maxSamples: 320) }
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(stream, maxSamples: 319) }
        // Strips of different widths cannot stack.
        let a = try ImageFlowCodec.encode(try image(.smooth, width: 16, height: 4, channels: 1, bitDepth: 8))
        let b = try ImageFlowCodec.encode(try image(.smooth, width: 15, height: 4, channels: 1, bitDepth: 8))
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(StripContainer.serialize([a, b]), maxSamples: 1000) }
    }

    @Test func roundTripsAnEmptyImage() throws {
        let img = try image(.zeros, width: 0, height: 5, channels: 3, bitDepth: 8)
        #expect(try ImageFlowCodec.decode(try ImageFlowCodec.encode(img), maxSamples: 0) == img)
    }

    @Test func interleavedBytesRoundTrip() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        let rgb16 = try PixelImage(interleaved: bytes, width: 2, height: 1, channels: 3, bitDepth: 16)
        #expect(rgb16.planes[0].samples == [0x0102, 0x0708])
        #expect(rgb16.interleavedBytes() == bytes)
        #expect(throws: FlowsError.self) { try PixelImage(interleaved: bytes, width: 5, height: 1, channels: 3, bitDepth: 8) }
    }

    @Test func compressesSmoothImagesAndCannotBeatRandomOnes() throws {
        let smooth = try image(.smooth, width: 64, height: 64, channels: 3, bitDepth: 8)
        let smoothBits = Double(try ImageFlowCodec.encode(smooth).count * 8) / Double(64 * 64 * 3)
        // ±2 uniform noise around a ramp: about log2(5) ≈ 2.3 bits of entropy per sample.
        #expect(smoothBits < 3.5, "smooth image at \(smoothBits) bits per sample")
        let random = try image(.random, width: 64, height: 64, channels: 1, bitDepth: 8)
        let randomBits = Double(try ImageFlowCodec.encode(random).count * 8) / Double(64 * 64)
        // Uniform noise has 8 bits of entropy; a logistic prior fits it badly (≈ 0.6 bit lost, plus
        // 0.3 bit of header at this size) — the container stores such chunks instead.
        #expect(randomBits > 7.95 && randomBits < 9.2, "random image at \(randomBits) bits per sample")
    }

    @Test func pixelReplicatedImagesCostAboutAQuarter() throws {
        // A 2× nearest-neighbour upscale of noise: only the coarse quarter carries information,
        // and the per-band "nearest pixel" translation makes the other three quarters free.
        let small = Pattern.random.plane(width: 32, height: 32, maxValue: 255, seed: 9)
        var big = Plane(width: 64, height: 64)
        for y in 0..<64 { for x in 0..<64 { big[x, y] = small[x / 2, y / 2] } }
        let img = try PixelImage(width: 64, height: 64, bitDepth: 8, planes: [big])
        let stream = try ImageFlowCodec.encode(img)
        #expect(try ImageFlowCodec.decode(stream, maxSamples: 4096) == img)
        let bits = Double(stream.count * 8) / 4096
        #expect(bits < 3.0, "2× upscaled noise at \(bits) bits per sample")
    }

    @Test func eightBitDataInSixteenBitsCostsAboutTheSame() throws {
        // v · 257 uses 256 of 65536 values: compaction removes the gaps the prior would pay for.
        let eight = try image(.smooth, width: 64, height: 64, channels: 3, bitDepth: 8)
        let sixteen = try PixelImage(width: 64, height: 64, bitDepth: 16,
                                     planes: eight.planes.map { Plane(width: 64, height: 64, samples: $0.samples.map { $0 * 257 }) })
        let s8 = try ImageFlowCodec.encode(eight), s16 = try ImageFlowCodec.encode(sixteen)
        #expect(try ImageFlowCodec.decode(s16, maxSamples: 64 * 64 * 3) == sixteen)
        let side = sixteen.planes.reduce(0) { $0 + ValueCompaction(usedIn: [$1], range: 65536).serialized.count }
        #expect(s16.count < s8.count + side + s8.count / 20, "16-bit \(s16.count) bytes (\(side) of sets) vs 8-bit \(s8.count)")
        let plain = try ImageFlowCodec.encode(sixteen, options: ImageFlowOptions(valueCompaction: false))
        #expect(plain.count > 2 * s16.count, "without compaction \(plain.count) bytes")
    }

    @Test func constantImagesCostAlmostNothing() throws {
        let img = try image(.maximum, width: 64, height: 64, channels: 4, bitDepth: 16)
        let stream = try ImageFlowCodec.encode(img)
        let header = ImageStreamHeader.fixedBytes + ImageStreamHeader.scaleCount(channels: 4)
        #expect(stream.count - header < 600, "\(stream.count - header) bytes of latents for a constant image")
    }

    @Test func rejectsSamplesThatDoNotFitTheDepth() throws {
        let plane = Plane(width: 2, height: 1, samples: [0, 256])
        let img = try PixelImage(width: 2, height: 1, bitDepth: 8, planes: [plane])
        #expect(throws: FlowsError.self) { try ImageFlowCodec.encode(img) }
    }

    @Test func everyTruncationThrows() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        let stream = try ImageFlowCodec.encode(img)
        for n in 0..<stream.count {
            #expect(throws: FlowsError.self, "truncated to \(n) bytes") {
                try ImageFlowCodec.decode(stream[0..<n], maxSamples: 17 * 13 * 3)
            }
        }
    }

    @Test func damagedHeadersThrow() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        let stream = try ImageFlowCodec.encode(img)
        let damages: [(Int, UInt8)] = [(0, 9), (1, 0), (1, 5), (2, 12), (3, 4), (3, 0x81), (7, 1), (11, 0x80)]
        for (offset, value) in damages {
            var bad = stream
            bad[offset] = value
            #expect(throws: FlowsError.self, "byte \(offset) = \(value)") {
                try ImageFlowCodec.decode(bad, maxSamples: 17 * 13 * 3)
            }
        }
        // A header claiming more samples than the caller expects is refused before allocating.
        var huge = stream
        huge[4...11] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        #expect(throws: FlowsError.corrupt("4294967295×2147483647×3 samples exceed the expected 663")) {
            try ImageFlowCodec.decode(huge, maxSamples: 17 * 13 * 3)
        }
    }

    @Test func damagedLatentsNeverCrashAndMostlyThrow() throws {
        let img = try image(.smooth, width: 17, height: 13, channels: 3, bitDepth: 8)
        // Interlaced (version 3); `RasterCoderTests` damages raster-order streams.
        let stream = try ImageFlowCodec.encode(img, options: .init(rasterChoice: false))
        let start = ImageStreamHeader.fixedBytes + ImageStreamHeader.scaleCount(channels: 3)
        var thrown = 0, total = 0
        for offset in start..<stream.count {
            for flip: UInt8 in [0x01, 0x80] {
                var bad = stream
                bad[offset] ^= flip
                total += 1
                do {
                    let back = try ImageFlowCodec.decode(bad, maxSamples: 17 * 13 * 3)
                    #expect(back.width == 17 && back.height == 13, "a decoded image keeps the header's shape")
                } catch { thrown += 1 }
            }
        }
        // The stream has no checksum of its own (the container has one), but a damaged rANS
        // stack almost never ends exactly in its initial state.
        #expect(thrown * 10 >= total * 9, "\(thrown) of \(total) damaged streams rejected")
    }
}
