import Testing
@testable import FlowZip

/// `--method auto` on pixels runs the slow generic methods only when a quick zstd probe says they could
/// win (ChunkCoder.modelFirst): the pixel chunk it keeps must still be the smallest of the flow, zstd at
/// the chosen level and zlib, both where the flow wins by far and where zstd does.
@Suite struct AutoProbeTests {
    func pixelChunk(_ file: [UInt8], _ options: FlowZip.Options) throws -> StreamInfo.Chunk {
        let chunks = try FlowZip.inspect(try FlowZip.compress(file, options: options)).chunks
        return try #require(chunks.max { $0.rawLength < $1.rawLength })
    }

    @Test(arguments: ["smooth photo-like", "one tile repeated"])
    func autoKeepsTheSmallestPixelPayload(_ image: String) throws {
        let file: [UInt8]
        if image == "smooth photo-like" {
            file = TestData.ppm(width: 96, height: 64)
        } else {
            // Noise inside a tile, the tile repeated: zstd finds the repeats, the flow only sees the noise.
            let tile = TestData.random(3 * 24, seed: 9)
            file = Array("P6\n96 64\n255\n".utf8) + (0..<(96 * 64 / 24)).flatMap { _ in tile }
        }
        let auto = try pixelChunk(file, .init(chunkSize: 1 << 22))
        let forced = try [FlowZip.Method.flow, .zstd, .zlib].map { try pixelChunk(file, .init(method: $0, level: $0 == .zlib ? 9 : 19, chunkSize: 1 << 22)) }
        let smallest = try #require(forced.min { $0.codedLength < $1.codedLength })
        #expect(auto.codedLength == smallest.codedLength)
        #expect(auto.method == (image == "smooth photo-like" ? .flow : smallest.method))
        if image == "one tile repeated" { #expect(smallest.method != .flow) }
        #expect(try FlowZip.decompress(try FlowZip.compress(file, options: .init(chunkSize: 1 << 22))) == file)
    }

    /// Content that repeats at a distance beyond the probe's window (3 MiB of noise, twice): the probe
    /// sees no repeat, a high level (and long-distance matching) does, so a model payload at 0.55 of
    /// the probe must not skip the generic methods; without the repeat it may.
    @Test func theProbeSeesRepeatsFarApart() throws {
        let half = TestData.random(3 << 20, seed: 41)
        let repeated = (half + half)[...]
        let probe = try ZstdMethod.compress(repeated, level: ChunkCoder.probeLevel).count
        #expect(probe > half.count * 2 * 99 / 100, "the probe's window misses the repeat: \(probe) bytes")
        #expect(try !ChunkCoder.modelWinsClearly(modelSize: probe * 55 / 100, probeSize: probe, raw: repeated))
        let once = (half + TestData.random(3 << 20, seed: 42))[...]
        #expect(try ChunkCoder.modelWinsClearly(modelSize: probe * 55 / 100, probeSize: probe, raw: once))
    }

    /// Four tiles of noise, 32 × 32, placed at random on a 384 × 352 grid: zstd codes the repeats (about
    /// 4 % of the raw size), the flow the noise (70 %).
    static func noiseGlyphs() -> (pixels: [UInt8], geometry: ImageGeometry) {
        let (w, h, side) = (384, 352, 32)
        let glyphs = (0..<4).map { TestData.random(side * side * 3, seed: 20 + UInt64($0)) }
        let picks = TestData.random((w / side) * (h / side), seed: 30)
        var pixels = [UInt8]()
        for y in 0..<h {
            for cell in 0..<(w / side) {
                let glyph = glyphs[Int(picks[(y / side) * (w / side) + cell]) % 4]
                pixels += glyph[(y % side) * side * 3..<(y % side + 1) * side * 3]
            }
        }
        return (pixels, ImageGeometry(width: w, height: h, channels: 3, bitDepth: 8, maxValue: 255))
    }

    @Test func theFlowGivesUpBeforeCodingWhereZstdWinsByFar() throws {
        let (pixels, geometry) = Self.noiseGlyphs()
        // With the generic methods beside it, the flow stops after its sample.
        #expect {
            try FlowMethod.compress(pixels[...], geometry: geometry, competing: true)
        } throws: { error in
            (error as? FlowZipError)?.code == .unsupported && "\(error)".contains("generic")
        }
        // `auto` keeps zstd's payload, as it did when the flow ran in full.
        let file = Array("P6\n384 352\n255\n".utf8) + pixels
        let auto = try pixelChunk(file, .init(chunkSize: 1 << 22))
        let zstd = try pixelChunk(file, .init(method: .zstd, level: 19, chunkSize: 1 << 22))
        #expect(auto.method == .zstd && auto.codedLength == zstd.codedLength)
        #expect(try FlowZip.decompress(try FlowZip.compress(file, options: .init(chunkSize: 1 << 22))) == file)
    }
}
