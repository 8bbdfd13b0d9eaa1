import Foundation
import Testing
@testable import FlowZip

/// Streams written by earlier builds must decode forever, and today's encoder must still write them
/// byte for byte (any difference is a format change). Regenerate deliberately, after a format version
/// bump, with `FLOWZIP_WRITE_GOLDEN=1 swift test --filter GoldenStreamTests`.
///
/// A case written by an earlier version of a method's format is *frozen*: it must still decode, but
/// today's encoder writes the newer version, so it is neither re-encoded nor ever rewritten.
///
/// Every case names all its options, so that changing a default is not mistaken for a format change.
/// zstd and zlib payloads are produced by the system libraries; they are pinned by Debian 12's versions.
@Suite struct GoldenStreamTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var original: @Sendable () throws -> [UInt8]
        var options: FlowZip.Options
        var frozen = false
        var testDescription: String { name }
    }

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
        Case(name: "wav-stereo-auto", original: stereoWAV, options: .init(chunkSize: 1 << 22), frozen: true),
        // flowAudio version 2.
        Case(name: "wav-stereo-auto-v2", original: stereoWAV, options: .init(chunkSize: 1 << 22)),
    ]

    @Test(arguments: cases)
    func goldenStreamDecodesAndReencodesIdentically(_ golden: Case) throws {
        let original = try golden.original()
        let url = Self.folder.appendingPathComponent("\(golden.name).fz")
        if ProcessInfo.processInfo.environment["FLOWZIP_WRITE_GOLDEN"] == "1" && !golden.frozen {
            try Data(try FlowZip.compress(original, options: golden.options)).write(to: url)
        }
        let stream = try [UInt8](Data(contentsOf: url))
        #expect(try FlowZip.decompress(stream) == original)
        if golden.frozen {
            #expect(try FlowZip.compress(original, options: golden.options) != stream, "frozen, yet still written today")
        } else {
            #expect(try FlowZip.compress(original, options: golden.options) == stream)
        }
    }
}
