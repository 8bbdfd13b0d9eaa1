import Foundation
import Testing
@testable import FlowZip

/// The corruption campaign: a small stream of every method, each byte changed in turn and every
/// truncation. Each damaged stream must be rejected with a `FlowZipError`, or (where the byte is one
/// the decoder provably ignores, such as the scale of a prior context no pixel uses) decode to the
/// exact original; never a crash, a hang or wrong bytes.
///
/// Release builds try all 255 other values of every byte; debug builds (the everyday `swift test`,
/// 10-100× slower) flip each bit of every byte, which already gives every field small and large
/// changes. The README's test command runs both.
///
/// The streams are container version 2 in both its forms (one chunk: store, zlib, zstd, png; general:
/// the image, audio, pipe and pixel-mode cases), and `v1Goldens` are container version 1 streams of
/// earlier builds.
@Suite struct CorruptionCampaignTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var method: StreamInfo.Chunk.Method
        var original: @Sendable () throws -> [UInt8]
        var options: FlowZip.Options
        var input: GoldenStreamTests.Input = .file
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "store", method: .store, original: { TestData.random(40, seed: 8) },
             options: .init(method: .store, chunkSize: 1 << 16)),
        Case(name: "zlib", method: .zlib, original: { TestData.repetitive(300) + TestData.random(12, seed: 9) },
             options: .init(method: .zlib, chunkSize: 1 << 16)),
        Case(name: "zstd", method: .zstd, original: { TestData.repetitive(300) + TestData.random(12, seed: 10) },
             options: .init(method: .zstd, chunkSize: 1 << 16)),
        Case(name: "flow", method: .flow, original: { TestData.pgm(width: 24, height: 16) },
             options: .init(method: .flow, chunkSize: 1 << 16, model: nil)),
        Case(name: "flow with the learned prior", method: .flow, original: { TestData.pgm(width: 24, height: 16) },
             options: GoldenStreamTests.learnedFlow),
        Case(name: "flowAudio", method: .flowAudio, original: { WAVFile.make([TestData.wave(300, amplitude: 60)], bits: 8) },
             options: .init(chunkSize: 1 << 16)),
        Case(name: "flowAudio float", method: .flowAudio, original: { WAVFile.makeFloat(FloatAudioTests.awkward(frames: 80)) },
             options: .init(method: .flow, chunkSize: 1 << 16)),
        Case(name: "png", method: .png, original: {
            let pgm = TestData.pgm(width: 40, height: 30)
            return PNGMaker.make(width: 40, height: 30, channels: 1, pixels: Array(pgm.suffix(40 * 30)))
        }, options: .init(method: .flow, chunkSize: 1 << 16, model: nil)),
        // One chunk with a model id in the header.
        Case(name: "png with a model id", method: .png, original: {
            let pgm = TestData.pgm(width: 20, height: 12)
            return PNGMaker.make(width: 20, height: 12, channels: 1, pixels: Array(pgm.suffix(20 * 12)))
        }, options: .init(method: .flow, chunkSize: 1 << 16, model: .builtIn)),
        // General form without the original size.
        Case(name: "pipe", method: .zstd, original: { Array("P5\n20 10\n255\n".utf8) + TestData.repetitive(200) },
             options: .init(method: .zstd, chunkSize: 1 << 16), input: .pipe),
        Case(name: "pixel mode", method: .zstd, original: {
            PNGMaker.make(width: 20, height: 10, channels: 1, pixels: TestData.repetitive(200))
        }, options: .init(method: .zstd, chunkSize: 1 << 16), input: .image),
    ]

    /// Container version 1 streams of earlier builds (Golden/): one chunk, pixel mode, and audio.
    static let v1Goldens = ["text-zstd", "pixels-palette-zstd", "wav-mono8-auto-current"]

    /// The values byte `b` is changed to.
    static func changes(of b: UInt8) -> [UInt8] {
        #if DEBUG
        (0..<8).map { b ^ (1 << $0) }
        #else
        (1...255).map { b &+ UInt8($0) }
        #endif
    }

    static func stream(_ c: Case) throws -> (original: [UInt8], stream: [UInt8]) {
        let original = try c.original()
        let golden = GoldenStreamTests.Case(name: c.name, original: c.original, options: c.options, input: c.input)
        let stream = try GoldenStreamTests.encode(original, golden)
        #expect(try FlowZip.inspect(stream).chunks.contains { $0.method == c.method }, "\(c.name) lost its method")
        // What decoding gives back: the image file, for pixel mode.
        return (c.input == .image ? try FlowZip.decompress(stream) : original, stream)
    }

    static func golden(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: GoldenStreamTests.folder.appendingPathComponent("\(name).fz")))
    }

    @Test(arguments: cases)
    func everyChangedByteIsRejectedOrHarmless(_ c: Case) throws {
        let (original, stream) = try Self.stream(c)
        try Self.expectEveryChangeRejectedOrHarmless(c.name, stream, original)
    }

    @Test(arguments: v1Goldens)
    func everyChangedByteOfAVersion1StreamIsRejectedOrHarmless(_ name: String) throws {
        let stream = try Self.golden(name)
        #expect(stream[4] == 1)
        try Self.expectEveryChangeRejectedOrHarmless(name, stream, try FlowZip.decompress(stream))
    }

    static func expectEveryChangeRejectedOrHarmless(_ name: String, _ stream: [UInt8], _ original: [UInt8]) throws {
        var harmless = Set<Int>()
        for offset in stream.indices {
            for value in Self.changes(of: stream[offset]) {
                var damaged = stream
                damaged[offset] = value
                do {
                    let decoded = try FlowZip.decompress(damaged)
                    #expect(decoded == original, "\(name): byte \(offset) set to \(damaged[offset]) decoded to wrong bytes")
                    harmless.insert(offset)
                } catch is FlowZipError {
                }
            }
        }
        // The container's own bytes (header, records, trailer) never go unnoticed.
        let container = try ContainerWalk(stream).containerOffsets
        #expect(harmless.isDisjoint(with: container), "\(name): container bytes \(harmless.intersection(container).sorted()) went unnoticed")
    }

    @Test(arguments: cases)
    func everyTruncationAndTrailingByteIsRejected(_ c: Case) throws {
        try Self.expectCutsAndAdditionsRejected(c.name, try Self.stream(c).stream)
    }

    @Test(arguments: v1Goldens)
    func everyTruncationOfAVersion1StreamIsRejected(_ name: String) throws {
        try Self.expectCutsAndAdditionsRejected(name, try Self.golden(name))
    }

    static func expectCutsAndAdditionsRejected(_ name: String, _ stream: [UInt8]) throws {
        // The container tells a cut stream from a damaged one: every cut is `truncated`, never `corrupt`.
        for length in 0..<stream.count {
            expectFlowZipError(.truncated, nil, "\(name) cut to \(length) bytes") {
                try FlowZip.decompress(Array(stream.prefix(length)))
            }
        }
        for extra in [[0], [0xFF], Array(stream.prefix(8)), stream] {
            expectFlowZipError(.corrupt, "unexpected data after the end of the stream", "\(name) + \(extra.count) bytes") {
                try FlowZip.decompress(stream + extra)
            }
        }
    }
}
