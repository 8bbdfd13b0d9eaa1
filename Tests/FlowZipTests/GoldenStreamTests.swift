import Foundation
import Testing
@testable import FlowZip

/// Streams written by earlier builds must decode forever, and today's encoder must still write them
/// byte for byte (any difference is a format change). Regenerate deliberately, after a format version
/// bump, with `FLOWZIP_WRITE_GOLDEN=1 swift test --filter GoldenStreamTests`.
///
/// `cases` are container version 1 streams (Golden/*.fz): they are never rewritten, and today's encoder
/// (which writes container version 2) must still write their chunks, record for record and payload byte
/// for byte. `containerV2Cases` (Golden/v2/*.fz) must be written byte for byte; new goldens go there
/// (`FLOWZIP_WRITE_GOLDEN=1` writes only those). A case written by an earlier version of a method's
/// format is *frozen*: it must still decode, but today's encoder writes the newer version, so it is
/// neither re-encoded nor ever rewritten.
///
/// Every case names all its options, so that changing a default is not mistaken for a format change.
/// zstd and zlib payloads are produced by the system libraries; they are pinned by Debian 12's versions.
@Suite struct GoldenStreamTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var original: @Sendable () throws -> [UInt8]
        var options: FlowZip.Options
        /// Methods the stream must hold, so a golden meant for a method cannot silently lose it.
        var methods: Set<StreamInfo.Chunk.Method> = []
        var frozen = false
        /// How the encoder reads the original (container version 2 cases).
        var input: Input = .file
        var testDescription: String { name }
    }

    enum Input: Sendable {
        /// With its size known (a file).
        case file
        /// Without its size (a pipe).
        case pipe
        /// As an image file in pixel mode (`compressImage`).
        case image
    }

    static func encode(_ original: [UInt8], _ golden: Case) throws -> [UInt8] {
        switch golden.input {
        case .file: return try FlowZip.compress(original, options: golden.options)
        case .image: return try FlowZip.compressImage(original, options: golden.options)
        case .pipe:
            var source = FlowZip.MemorySource(original)
            var sink: [UInt8] = []
            try Compressor(options: golden.options).compress(from: &source, to: &sink, size: nil)
            return sink
        }
    }

    /// The flow with the built-in learned prior on every strip (so the golden pins the model too).
    static let learnedFlow: FlowZip.Options = {
        var options = FlowZip.Options(method: .flow, chunkSize: 1 << 22, model: .builtIn)
        options.alwaysUseModel = true
        return options
    }()

    /// 3,000 stereo frames of the committed loop_amen sample, in a fresh 16-bit WAV with a LIST chunk.
    static func stereoWAV() throws -> [UInt8] {
        let sample = try [UInt8](Data(contentsOf: TestData.repository
            .appendingPathComponent("corpora/sample/loop_amen-0.25s.wav")))
        let pcm = stride(from: 44, to: 44 + 4 * 3_000, by: 2).map { Int(Int16(bitPattern: UInt16(sample[$0]) | UInt16(sample[$0 + 1]) << 8)) }
        let channels = [stride(from: 0, to: pcm.count, by: 2).map { pcm[$0] }, stride(from: 1, to: pcm.count, by: 2).map { pcm[$0] }]
        return WAVFile.make(channels, bits: 16, after: WAVFile.listChunk)
    }

    static let folder = TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden")

    static let cases: [Case] = [
        Case(name: "empty-store", original: { [] }, options: .init(method: .store, chunkSize: 1 << 22)),
        Case(name: "random-store", original: { TestData.random(3_000, seed: 42) }, options: .init(method: .store, chunkSize: 1 << 22)),
        Case(name: "text-zlib", original: { TestData.repetitive(5_000) + TestData.random(100, seed: 3) },
             options: .init(method: .zlib, chunkSize: 1 << 22)),
        Case(name: "text-zstd", original: { TestData.repetitive(5_000) + TestData.random(100, seed: 4) },
             options: .init(method: .zstd, level: 19, chunkSize: 1 << 22)),
        Case(name: "three-chunks-auto", original: {
            TestData.repetitive(70_000) + TestData.random(66_000, seed: 5) + TestData.repetitive(9_000)
        }, options: .init(chunkSize: 1 << 16)),
        Case(name: "alice-auto", original: {
            try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("corpora/sample/alice29.txt")))
                .prefix(20_000).map { $0 }
        }, options: .init(chunkSize: 1 << 22)),
        // flowAudio version 1 (before the 16-bit-lane adaptive filter).
        Case(name: "wav-stereo-auto", original: stereoWAV, options: .init(chunkSize: 1 << 22), methods: [.flowAudio], frozen: true),
        // flowAudio version 2 (one 64-tap adaptive filter; decode only).
        Case(name: "wav-stereo-auto-v2", original: stereoWAV, options: .init(chunkSize: 1 << 22), methods: [.flowAudio], frozen: true),
        // flowAudio version 3 (the 128-tap filter with scaled steps).
        Case(name: "wav-stereo-auto-v3", original: stereoWAV, options: .init(chunkSize: 1 << 22), methods: [.flowAudio]),
        // Small streams of each flow method (also the fuzzers' seeds): hand-made and learned image
        // priors, a PNG rebuilt from its pixels, 8-bit unsigned audio and float32 numbers. Written with
        // flow payload version 1 and flowAudio version 1 (decode only), then as written today.
        Case(name: "ppm-flow-handmade", original: { TestData.ppm(width: 24, height: 16) },
             options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.flow], frozen: true),
        Case(name: "pgm-flow-learned", original: { try TestData.pgmCrop(width: 32, height: 24) },
             options: learnedFlow, methods: [.flow], frozen: true),
        Case(name: "png-flow", original: {
            let pgm = try TestData.pgmCrop(width: 40, height: 30)
            return PNGMaker.make(width: 40, height: 30, channels: 1, pixels: Array(pgm.suffix(40 * 30)))
        }, options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.png], frozen: true),
        Case(name: "wav-mono8-auto", original: { WAVFile.make([TestData.wave(700, amplitude: 100)], bits: 8) },
             options: .init(chunkSize: 1 << 22), methods: [.flowAudio], frozen: true),
        Case(name: "float32-stereo-flow", original: { TestData.float32Pairs(400) },
             options: .init(method: .flow, chunkSize: 1 << 22, rawLayout: .init(type: .float32, channels: 2)),
             methods: [.flowAudio], frozen: true),
        // Flow payload version 4 (raster order before bias cancellation; decode only).
        Case(name: "ppm-flow-handmade-raster-v4", original: { TestData.ppm(width: 24, height: 16) },
             options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.flow], frozen: true),
        Case(name: "png-flow-raster-v4", original: {
            let pgm = try TestData.pgmCrop(width: 40, height: 30)
            return PNGMaker.make(width: 40, height: 30, channels: 1, pixels: Array(pgm.suffix(40 * 30)))
        }, options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.png], frozen: true),
        Case(name: "ppm-flow-handmade-current", original: { TestData.ppm(width: 24, height: 16) },
             options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.flow]),
        Case(name: "pgm-flow-learned-current", original: { try TestData.pgmCrop(width: 32, height: 24) },
             options: learnedFlow, methods: [.flow]),
        Case(name: "png-flow-current", original: {
            let pgm = try TestData.pgmCrop(width: 40, height: 30)
            return PNGMaker.make(width: 40, height: 30, channels: 1, pixels: Array(pgm.suffix(40 * 30)))
        }, options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.png]),
        // flowAudio version 2 (decode only).
        Case(name: "wav-mono8-auto-v2", original: { WAVFile.make([TestData.wave(700, amplitude: 100)], bits: 8) },
             options: .init(chunkSize: 1 << 22), methods: [.flowAudio], frozen: true),
        Case(name: "float32-stereo-flow-v2", original: { TestData.float32Pairs(400) },
             options: .init(method: .flow, chunkSize: 1 << 22, rawLayout: .init(type: .float32, channels: 2)),
             methods: [.flowAudio], frozen: true),
        Case(name: "wav-mono8-auto-current", original: { WAVFile.make([TestData.wave(700, amplitude: 100)], bits: 8) },
             options: .init(chunkSize: 1 << 22), methods: [.flowAudio]),
        // flowAudio encoding 2 (float32 through the order-preserving map; decode only since encoding 3).
        Case(name: "float32-stereo-flow-current", original: { TestData.float32Pairs(400) },
             options: .init(method: .flow, chunkSize: 1 << 22, rawLayout: .init(type: .float32, channels: 2)),
             methods: [.flowAudio], frozen: true),
    ]

    /// Container version 2, one case per method, and the multi-chunk, pipe, pixel-mode, model-id and
    /// empty cases; the one-chunk form is every case of a single chunk.
    static let containerV2Cases: [Case] = [
        Case(name: "empty-store", original: { [] }, options: .init(method: .store, chunkSize: 1 << 22)),
        Case(name: "random-store", original: { TestData.random(3_000, seed: 42) }, options: .init(method: .store, chunkSize: 1 << 22),
             methods: [.store]),
        Case(name: "text-zlib", original: { TestData.repetitive(5_000) + TestData.random(100, seed: 3) },
             options: .init(method: .zlib, chunkSize: 1 << 22), methods: [.zlib]),
        Case(name: "text-zstd", original: { TestData.repetitive(5_000) + TestData.random(100, seed: 4) },
             options: .init(method: .zstd, level: 19, chunkSize: 1 << 22), methods: [.zstd]),
        Case(name: "three-chunks-auto", original: threeChunks, options: .init(chunkSize: 1 << 16), methods: [.zstd]),
        Case(name: "three-chunks-pipe", original: threeChunks, options: .init(chunkSize: 1 << 16), methods: [.zstd],
             input: .pipe),
        Case(name: "ppm-flow-handmade", original: { TestData.ppm(width: 24, height: 16) },
             options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.flow]),
        Case(name: "pgm-flow-learned", original: { try TestData.pgmCrop(width: 32, height: 24) },
             options: learnedFlow, methods: [.flow]),
        Case(name: "png-flow", original: {
            let pgm = try TestData.pgmCrop(width: 40, height: 30)
            return PNGMaker.make(width: 40, height: 30, channels: 1, pixels: Array(pgm.suffix(40 * 30)))
        }, options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.png]),
        // flowAudio version 2 payloads in container version 2 (decode only), then as written today.
        Case(name: "wav-stereo-auto-flowaudio-v2", original: stereoWAV, options: .init(chunkSize: 1 << 22),
             methods: [.flowAudio], frozen: true),
        Case(name: "float32-stereo-flow-flowaudio-v2", original: { TestData.float32Pairs(400) },
             options: .init(method: .flow, chunkSize: 1 << 22, rawLayout: .init(type: .float32, channels: 2)),
             methods: [.flowAudio], frozen: true),
        Case(name: "wav-stereo-auto", original: stereoWAV, options: .init(chunkSize: 1 << 22), methods: [.flowAudio]),
        // flowAudio encoding 2 (float32 through the order-preserving map; decode only), then encoding 3
        // (`IEEESplit`): raw floats on an exact grid, and a float WAV with leftovers and every kind of escape.
        Case(name: "float32-stereo-flow-encoding2", original: { TestData.float32Pairs(400) },
             options: .init(method: .flow, chunkSize: 1 << 22, rawLayout: .init(type: .float32, channels: 2)),
             methods: [.flowAudio], frozen: true),
        Case(name: "float32-split-stereo-flow", original: { TestData.float32Pairs(400) },
             options: .init(method: .flow, chunkSize: 1 << 22, rawLayout: .init(type: .float32, channels: 2)),
             methods: [.flowAudio]),
        Case(name: "wav-float-flow", original: { WAVFile.makeFloat(FloatAudioTests.awkward(frames: 300), extensible: true) },
             options: .init(method: .flow, chunkSize: 1 << 22), methods: [.flowAudio]),
        // A PNG written by zopflipng: png payload version 2, the token recipe; its pixels in learned
        // raster model 4 (decode only: the default level no longer tries it), then as written today (the
        // very bytes the encoder wrote in model 3's time, which this golden kept before).
        Case(name: "png-zopfli-tokens-model4", original: {
            try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden/deflaters/zopfli-suit.png")))
        }, options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.png], frozen: true),
        Case(name: "png-zopfli-tokens", original: {
            try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden/deflaters/zopfli-suit.png")))
        }, options: .init(method: .flow, chunkSize: 1 << 22, model: nil), methods: [.png]),
        Case(name: "pixels-palette-zstd", original: {
            try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("Tests/FlowZipTests/PixelImages/palette4-interlaced.png")))
        }, options: .init(method: .zstd, level: 19, chunkSize: 1 << 22), methods: [.zstd], input: .image),
    ]

    @Sendable static func threeChunks() -> [UInt8] {
        TestData.repetitive(70_000) + TestData.random(66_000, seed: 5) + TestData.repetitive(9_000)
    }

    @Test(arguments: cases)
    func containerV1StreamDecodesAndTodaysEncoderWritesItsChunks(_ golden: Case) throws {
        let original = try golden.original()
        let stream = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("\(golden.name).fz")))
        #expect(stream[4] == 1)
        #expect(try FlowZip.decompress(stream) == original)
        let today = try FlowZip.compress(original, options: golden.options)
        if golden.frozen {
            #expect(try !ContainerWalk.sameChunks(today, stream), "frozen, yet still written today")
        } else {
            #expect(try ContainerWalk.sameChunks(today, stream))
        }
        let methods = Set(try FlowZip.inspect(stream).chunks.map(\.method))
        #expect(golden.methods.isSubset(of: methods), "\(golden.name) holds \(methods)")
    }

    @Test(arguments: containerV2Cases)
    func containerV2StreamDecodesAndReencodesIdentically(_ golden: Case) throws {
        let original = try golden.original()
        let url = Self.folder.appendingPathComponent("v2/\(golden.name).fz")
        if ProcessInfo.processInfo.environment["FLOWZIP_WRITE_GOLDEN"] == "1" && !golden.frozen {
            try Data(try Self.encode(original, golden)).write(to: url)
        }
        let stream = try [UInt8](Data(contentsOf: url))
        #expect(stream[4] == 2)
        let decoded = try FlowZip.decompress(stream)
        if golden.input == .image {
            #expect(try PNGPixels(decoding: decoded, maxBytes: 1 << 20) == PNGPixels(decoding: original, maxBytes: 1 << 20))
        } else {
            #expect(decoded == original)
        }
        if golden.frozen {
            #expect(try Self.encode(original, golden) != stream, "frozen, yet still written today")
        } else {
            #expect(try Self.encode(original, golden) == stream)
        }
        let info = try FlowZip.inspect(stream)
        #expect(info.formatVersion == 2)
        #expect(golden.methods.isSubset(of: Set(info.chunks.map(\.method))), "\(golden.name) holds \(info.chunks.map(\.method))")
        #expect(info.declaredSize == (golden.input == .pipe && info.chunks.count > 1 ? nil : info.originalSize))
        #expect(info.compressedSize == UInt64(stream.count))
    }
}
