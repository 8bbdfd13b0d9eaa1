import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

/// Container version 2: what it costs, when it takes the one-chunk form, and that hostile fields (whose
/// CRCs are right, so only the field checks stand between them and the decoder) give typed errors.
@Suite struct ContainerV2Tests {
    /// `bytes` followed by their CRC-32, as every version 2 header and record ends.
    static func withCRC(_ bytes: [UInt8]) -> [UInt8] {
        bytes + withUnsafeBytes(of: CRC32.checksum(bytes).littleEndian, Array.init)
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        LEB128.append(value, to: &out)
        return out
    }

    static let magic = Format.magic + [2]
    /// Layout byte: chunk size 2^16, bytes.
    static let smallChunks: UInt8 = 0

    func expectCorrupt(_ message: String, _ stream: [UInt8], code: FlowZipError.Code = .corrupt,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        expectFlowZipError(code, message, sourceLocation: sourceLocation) { try FlowZip.decompress(stream) }
        #expect(throws: FlowZipError.self, sourceLocation: sourceLocation) { try FlowZip.inspect(stream) }
    }

    @Test func oneChunkStreamsPayAtMost24Bytes() throws {
        for size in [1, 100, 1_000, 4_000, 16_383, 16_384, 100_000, 2_500_000] {
            for data in [TestData.repetitive(size), TestData.random(size, seed: UInt64(size))] {
                let stream = try FlowZip.compress(data)
                let walk = try ContainerWalk(stream)
                #expect(walk.version == 2 && walk.chunks.count == 1 && walk.chunks[0].recordBytes.isEmpty)
                #expect(walk.overhead <= 24, "\(size) bytes: \(walk.overhead) bytes of container")
                #expect(try FlowZip.decompress(stream) == data)
            }
        }
    }

    /// A compressor that reads a pipe learns the size of a one-chunk input before it writes anything.
    @Test func aPipeGivesTheSameOneChunkStreamAsAFile() throws {
        let data = TestData.repetitive(3_000)
        var source = FlowZip.MemorySource(data)
        var sink: [UInt8] = []
        try Compressor().compress(from: &source, to: &sink, size: nil)
        #expect(sink == (try FlowZip.compress(data)))
        #expect(try FlowZip.inspect(sink).declaredSize == 3_000)
    }

    @Test func exactlyOneFullChunkIsOneChunkAndOneByteMoreIsNot() throws {
        let options = FlowZip.Options(chunkSize: 1 << 16)
        for (size, chunks, oneChunkForm) in [(1 << 16, 1, true), ((1 << 16) + 1, 2, false)] {
            for threads in [1, 2] {
                var options = options
                options.threads = threads
                let data = TestData.repetitive(size)
                let stream = try FlowZip.compress(data, options: options)
                let walk = try ContainerWalk(stream)
                #expect(walk.chunks.count == chunks)
                #expect(walk.chunks[0].recordBytes.isEmpty == oneChunkForm)
                #expect(try FlowZip.decompress(stream) == data)
            }
        }
    }

    /// A stream of at most one chunk size names the model only if a chunk uses it (the decoder asks
    /// for it exactly then); a longer one always names the model it was offered. Either way the output
    /// is the same for every thread count.
    @Test func theModelIdIsLeftOutWhereNoChunkUsesIt() throws {
        let model = try #require(FlowModel.builtIn)
        let pgm = try TestData.pgmCrop(width: 32, height: 24)
        let png = PNGMaker.make(width: 32, height: 24, channels: 1, pixels: Array(pgm.suffix(32 * 24)))
        var learned = GoldenStreamTests.learnedFlow
        learned.chunkSize = 1 << 16
        let handMade = FlowZip.Options(method: .flow, chunkSize: 1 << 16, model: model)  // the learned prior loses here
        // Only images are offered a model; these inputs fit one chunk size. (The png method may keep
        // the hand-made prior even when offered the learned one: `used` is nil where either may happen.)
        var learnedFlowPayload: [UInt8] = []
        for (input, options, used) in [(pgm, learned, true), (png, learned, nil), (pgm, handMade, false), (png, handMade, false)] {
            let streams = try [1, 2].map { threads in
                var options = options
                options.threads = threads
                return try FlowZip.compress(input, options: options)
            }
            #expect(streams[0] == streams[1])
            let stream = streams[0]
            let chunks = try ContainerWalk(stream).chunks
            let needed = chunks.filter { ModelUse.needsModel(Array(stream[$0.payload]), method: $0.record.method) }
            #expect(used == nil || used == !needed.isEmpty)
            #expect(try FlowZip.inspect(stream).modelID == (needed.isEmpty ? 0 : model.id))
            #expect(try FlowZip.decompress(stream) == input)
            if used == true { learnedFlowPayload = Array(stream[needed[0].payload]) }
        }
        // A png payload's pixels through the flow with the learned prior need the model; through zstd,
        // no; a payload that cannot be read counts as needing it.
        func pngPayload(pixelMethod: UInt8) -> [UInt8] { [UInt8](repeating: 0, count: 24) + [0, 0, 0, 0, pixelMethod] + learnedFlowPayload }
        #expect(ModelUse.needsModel(pngPayload(pixelMethod: 3), method: .png))
        #expect(!ModelUse.needsModel(pngPayload(pixelMethod: 1), method: .png))
        #expect(ModelUse.needsModel(pngPayload(pixelMethod: 2), method: .png))
        #expect(ModelUse.needsModel(Array(pngPayload(pixelMethod: 3).prefix(27)), method: .png))
        // More than one chunk size: the header is written before the last chunks are coded.
        let large = TestData.ppm(width: 160, height: 150)  // 72,000 pixel bytes: two bands of 64 KiB chunks
        let streams = try [1, 2, 3].map { try FlowZip.compress(large, options: .init(method: .flow, threads: $0, chunkSize: 1 << 16, model: model)) }
        #expect(streams.allSatisfy { $0 == streams[0] })
        #expect(try FlowZip.inspect(streams[0]).modelID == model.id)
        #expect(try FlowZip.decompress(streams[0]) == large)
    }

    /// The same input in a version 1 golden and a version 2 one: `inspect` says the same but the version
    /// and the container's size.
    @Test(arguments: ["three-chunks-auto", "text-zstd", "pgm-flow-learned-current", "random-store"])
    func inspectReadsBothVersions(_ name: String) throws {
        let v1 = try [UInt8](Data(contentsOf: GoldenStreamTests.folder.appendingPathComponent("\(name).fz")))
        let v2 = try [UInt8](Data(contentsOf: GoldenStreamTests.folder.appendingPathComponent("v2/\(name.replacingOccurrences(of: "-current", with: "")).fz")))
        let (a, b) = (try FlowZip.inspect(v1), try FlowZip.inspect(v2))
        #expect((a.formatVersion, b.formatVersion) == (1, 2))
        #expect((a.compressedSize, b.compressedSize) == (UInt64(v1.count), UInt64(v2.count)))
        #expect(a.chunks.map(\.method) == b.chunks.map(\.method) && a.chunks.map(\.codedLength) == b.chunks.map(\.codedLength))
        #expect(a.modality == b.modality && a.chunkSize == b.chunkSize && a.modelID == b.modelID && a.originalSize == b.originalSize)
        #expect(a.declaredSize == b.declaredSize)
        #expect(v2.count < v1.count)
    }

    /// Overlong, 65-bit and cut varints, with the CRC right: typed errors, whatever field they are in.
    @Test func hostileVarintsAreRejected() throws {
        let crc = [UInt8](repeating: 0, count: 4)
        // One-chunk form, stored: descriptor 0, raw length, raw CRC.
        func oneChunk(raw: [UInt8]) -> [UInt8] { Self.withCRC(Self.magic + [16, Self.smallChunks, 0] + raw + crc) }
        expectCorrupt("stream header: raw length is not a valid varint", oneChunk(raw: [0x85, 0x00]))
        expectCorrupt("stream header: raw length is not a valid varint", oneChunk(raw: [0x85, 0x80, 0x80, 0x00]))
        expectCorrupt("stream header: raw length is not a valid varint", oneChunk(raw: [UInt8](repeating: 0xFF, count: 10) + [1]))
        expectCorrupt("stream header: raw length is not a valid varint", oneChunk(raw: [UInt8](repeating: 0xFF, count: 9) + [2]))
        expectCorrupt("chunk 1 record: lengths 18446744073709551615/18446744073709551615 out of range",
                      oneChunk(raw: [UInt8](repeating: 0xFF, count: 9) + [1]))
        expectCorrupt("chunk 1 record: lengths 65537/65537 out of range", oneChunk(raw: Self.varint(65_537)))
        // A varint that runs off the end of the stream.
        expectFlowZipError(.truncated, "stream header") {
            try FlowZip.decompress(Self.magic + [16, Self.smallChunks, 0, 0x80, 0x80])
        }
        // General form: header with the size, record (zstd) with a coded length.
        let header = Self.withCRC(Self.magic + [1, Self.smallChunks] + Self.varint(10))
        func record(raw: [UInt8], coded: [UInt8]) -> [UInt8] { header + Self.withCRC([2] + raw + coded + crc) }
        expectCorrupt("chunk 1 record: coded length is not a valid varint", record(raw: [10], coded: [0x83, 0x00]))
        expectCorrupt("chunk 1 record: lengths 10/11 out of range", record(raw: [10], coded: [11]))
        expectCorrupt("chunk 1 record: lengths 10/0 out of range", record(raw: [10], coded: [0]))
        expectCorrupt("stream header: original size is not a valid varint", Self.withCRC(Self.magic + [1, Self.smallChunks, 0x80, 0]))
        // Trailers (no chunk, size 0).
        let empty = Self.withCRC(Self.magic + [1, Self.smallChunks, 0])
        let emptyCRC = [UInt8](repeating: 0, count: 4)
        #expect(try FlowZip.decompress(empty + [0xFF, 0, 0] + emptyCRC) == [])
        expectCorrupt("trailer: chunk count is not a valid varint", empty + [0xFF, 0x80, 0, 0] + emptyCRC)
        expectCorrupt("trailer: original size is not a valid varint", empty + [0xFF, 0, 0x80, 0] + emptyCRC)
        expectCorrupt("trailer: 18446744073709551615 chunks announced, 0 found",
                      empty + [0xFF] + Self.varint(.max) + [0] + emptyCRC)
        expectFlowZipError(.truncated, "trailer") { try FlowZip.decompress(empty + [0xFF, 0, 0] + emptyCRC.dropLast()) }
        expectFlowZipError(.truncated, "trailer") { try FlowZip.decompress(empty + [0xFF, 0x80]) }
    }

    /// Fields whose CRC is right but whose value no encoder writes.
    @Test func impossibleHeaderAndRecordFieldsAreRejected() {
        func header(flags: UInt8, layout: UInt8, rest: [UInt8] = []) -> [UInt8] { Self.withCRC(Self.magic + [flags, layout] + rest) }
        let trailer: [UInt8] = [0xFF, 0, 0, 0, 0, 0, 0]
        expectCorrupt("stream header: chunk size 2^27 out of range", header(flags: 0, layout: 11) + trailer)
        expectCorrupt("stream header: unknown modality 3", header(flags: 0, layout: 0x30) + trailer)
        expectCorrupt("stream header: unknown layout byte 64", header(flags: 0, layout: 0x40) + trailer)
        expectCorrupt("stream header: unknown flags 32", header(flags: 32, layout: 0) + trailer)
        expectCorrupt("stream header: unknown flags 4", header(flags: 4, layout: 0) + trailer)  // PNG without pixel mode
        expectCorrupt("stream header: unknown flags 2", header(flags: 2, layout: 0) + trailer)  // pixel mode without a size
        expectCorrupt("stream header: unknown flags 8", header(flags: 8, layout: 0, rest: [UInt8](repeating: 0, count: 8)) + trailer)
        // Size and one-chunk form together: the size would say twice what the record says.
        expectCorrupt("stream header: unknown flags 17", header(flags: 17, layout: 0, rest: [1, 0, 1, 0, 0, 0, 0]) + [7])
        let general = header(flags: 0, layout: 0)
        expectCorrupt("chunk 1 record: unknown descriptor 128", general + Self.withCRC([0x80, 1, 0, 0, 0, 0]) + [7])
        // With a CRC that matches, an unknown method is one a newer FlowZip may have added.
        expectCorrupt("chunk 1 record: unknown method 6", general + Self.withCRC([6, 1, 1, 0, 0, 0, 0]) + [7], code: .unsupported)
        expectCorrupt("chunk 1 record: unknown data kind 3/1", general + Self.withCRC([3 << 3, 1, 0, 0, 0, 0]) + [7])
        expectCorrupt("chunk 1 record: checksum mismatch", general + [0, 1, 0, 0, 0, 0, 0, 0, 0, 0] + [7], code: .checksumMismatch)
    }

    /// Random changes of several bytes at once (what a fuzzer tries first), in both forms and both
    /// versions: the original or a typed error.
    @Test func randomDamageGivesTheOriginalOrATypedError() throws {
        let text = TestData.repetitive(2_000) + TestData.random(300, seed: 12)
        let streams = [
            try FlowZip.compress(text, options: .init(method: .zstd)),
            try FlowZip.compress(TestData.repetitive(70_000) + TestData.random(300, seed: 13), options: .init(method: .zstd, chunkSize: 1 << 16)),
            try [UInt8](Data(contentsOf: GoldenStreamTests.folder.appendingPathComponent("text-zlib.fz"))),
        ]
        var rng = SplitMix64(seed: 99)
        for stream in streams {
            let original = try FlowZip.decompress(stream)
            for _ in 0..<1_500 {
                var damaged = stream
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                if Bool.random(using: &rng) { damaged = Array(damaged.prefix(Int.random(in: 0...damaged.count, using: &rng))) }
                do {
                    #expect(try FlowZip.decompress(damaged) == original)
                } catch is FlowZipError {
                }
            }
        }
    }
}
