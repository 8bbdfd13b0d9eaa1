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
@Suite struct CorruptionCampaignTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var method: String
        var original: @Sendable () throws -> [UInt8]
        var options: FlowZip.Options
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "store", method: "store", original: { TestData.random(40, seed: 8) },
             options: .init(method: .store, chunkSize: 1 << 16)),
        Case(name: "zlib", method: "zlib", original: { TestData.repetitive(300) + TestData.random(12, seed: 9) },
             options: .init(method: .zlib, chunkSize: 1 << 16)),
        Case(name: "zstd", method: "zstd", original: { TestData.repetitive(300) + TestData.random(12, seed: 10) },
             options: .init(method: .zstd, chunkSize: 1 << 16)),
        Case(name: "flow", method: "flow", original: { TestData.pgm(width: 24, height: 16) },
             options: .init(method: .flow, chunkSize: 1 << 16, model: nil)),
        Case(name: "flow with the learned prior", method: "flow", original: { TestData.pgm(width: 24, height: 16) },
             options: GoldenStreamTests.learnedFlow),
        Case(name: "flowAudio", method: "flowAudio", original: { WAVFile.make([TestData.wave(300, amplitude: 60)], bits: 8) },
             options: .init(chunkSize: 1 << 16)),
        Case(name: "png", method: "png", original: {
            let pgm = TestData.pgm(width: 40, height: 30)
            return PNGMaker.make(width: 40, height: 30, channels: 1, pixels: Array(pgm.suffix(40 * 30)))
        }, options: .init(method: .flow, chunkSize: 1 << 16, model: nil)),
    ]

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
        let stream = try FlowZip.compress(original, options: c.options)
        #expect(try FlowZip.inspect(stream).chunks.contains { $0.method == c.method }, "\(c.name) lost its method")
        return (original, stream)
    }

    @Test(arguments: cases)
    func everyChangedByteIsRejectedOrHarmless(_ c: Case) throws {
        let (original, stream) = try Self.stream(c)
        var harmless = Set<Int>()
        for offset in stream.indices {
            for value in Self.changes(of: stream[offset]) {
                var damaged = stream
                damaged[offset] = value
                do {
                    let decoded = try FlowZip.decompress(damaged)
                    #expect(decoded == original, "\(c.name): byte \(offset) set to \(damaged[offset]) decoded to wrong bytes")
                    harmless.insert(offset)
                } catch is FlowZipError {
                }
            }
        }
        // The container's own bytes (header, records, trailer) are all covered by CRCs.
        let info = try FlowZip.inspect(stream)
        var payloads = Set<Int>()
        var offset = Format.headerSize
        for chunk in info.chunks {
            offset += Format.recordSize
            payloads.formUnion(offset..<(offset + chunk.codedLength))
            offset += chunk.codedLength
        }
        #expect(harmless.isSubset(of: payloads), "\(c.name): container bytes \(harmless.subtracting(payloads).sorted()) went unnoticed")
    }

    @Test(arguments: cases)
    func everyTruncationIsRejected(_ c: Case) throws {
        let (_, stream) = try Self.stream(c)
        for length in 0..<stream.count {
            #expect(throws: FlowZipError.self, "\(c.name) cut to \(length) bytes") {
                try FlowZip.decompress(Array(stream.prefix(length)))
            }
        }
    }
}
