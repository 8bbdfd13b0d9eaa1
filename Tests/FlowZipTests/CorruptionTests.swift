import Testing
@testable import FlowZip

@Suite struct CorruptionTests {
    /// A small stream with three chunks: zstd, stored and zlib-or-zstd payloads.
    static let original = TestData.repetitive(70_000) + TestData.random(66_000) + TestData.repetitive(5_000)
    static let stream = try! FlowZip.compress(original, options: FlowZip.Options(chunkSize: 1 << 16))

    func expectRejected(_ stream: [UInt8], _ comment: Comment? = nil) {
        #expect(throws: FlowZipError.self, comment) { try FlowZip.decompress(stream) }
    }

    @Test func everyTruncationIsRejected() {
        let stream = try! FlowZip.compress(TestData.repetitive(3_000) + TestData.random(300))
        for length in 0..<stream.count {
            expectRejected(Array(stream.prefix(length)), "truncated to \(length)")
        }
    }

    /// Every change is caught, except in the few bits of a zstd frame that its decoder ignores; there the
    /// output must still be the exact original (never wrong bytes), and the container's own bytes never.
    @Test func everyFlippedByteOfASmallStreamIsRejectedOrHarmless() throws {
        let original = TestData.repetitive(2_000) + TestData.random(200)
        let stream = try FlowZip.compress(original)
        var harmless: [Int] = []
        for offset in 0..<stream.count {
            for bit in 0..<8 {
                var damaged = stream
                damaged[offset] ^= 1 << bit
                do {
                    let decoded = try FlowZip.decompress(damaged)
                    #expect(decoded == original, "byte \(offset) bit \(bit) decoded to wrong bytes")
                    harmless.append(offset)
                } catch is FlowZipError {
                }
            }
        }
        let container = try ContainerWalk(stream).containerOffsets
        #expect(container.isDisjoint(with: harmless), "container bytes \(harmless) went unnoticed")
    }

    @Test func flippedBytesInEveryPartOfALargerStreamAreRejected() throws {
        let stream = Self.stream
        let walk = try ContainerWalk(stream)
        let header = Array(0..<walk.headerLength)
        let records = walk.chunks.flatMap { Array($0.recordBytes) }
        let trailer = Array(walk.chunks.last!.payload.upperBound..<stream.count)
        let payloads = walk.chunks.flatMap { [$0.payload.lowerBound, $0.payload.lowerBound + 100, $0.payload.upperBound - 1] }
        for offset in header + records + trailer + payloads + [stream.count / 2] {
            var damaged = stream
            damaged[offset] = ~damaged[offset]
            expectRejected(damaged, "byte \(offset) inverted")
        }
    }

    @Test func wrongMagicSaysItIsNotAFlowZipStream() {
        var damaged = Self.stream
        damaged[1] = UInt8(ascii: "X")
        expectFlowZipError(.notFlowZip, "not a FlowZip stream (bad magic)") { try FlowZip.decompress(damaged) }
        expectFlowZipError(.notFlowZip) { try FlowZip.decompress(Array("hello world".utf8)) }
    }

    @Test func unknownVersionIsNamed() {
        var damaged = Self.stream
        damaged[4] = 9
        let error = expectFlowZipError(.unsupportedVersion, "unsupported FlowZip format version 9") { try FlowZip.decompress(damaged) }
        #expect(error?.formatVersion == 9)
    }

    @Test func damagedRecordNamesTheChunk() throws {
        var damaged = Self.stream
        damaged[try ContainerWalk(damaged).chunks[0].recordBytes.lowerBound + 2] ^= 1  // raw length of chunk 1
        let error = expectFlowZipError(.checksumMismatch, "chunk 1 record: checksum mismatch") { try FlowZip.decompress(damaged) }
        #expect(error?.chunkIndex == 0)
    }

    @Test func damagedPayloadNamesTheChunk() throws {
        var damaged = Self.stream
        // Chunk 2 is mostly random bytes, which its payload holds as they are: only the CRC can notice.
        let second = try ContainerWalk(damaged).chunks[1]
        damaged[second.payload.lowerBound + 1000] ^= 1
        let error = expectFlowZipError(.checksumMismatch, "chunk 2: checksum mismatch") { try FlowZip.decompress(damaged) }
        #expect(error?.chunkIndex == 1 && error?.description == "corrupt stream: chunk 2: checksum mismatch")
    }

    /// A record whose CRC is valid but whose length is absurd: rejected before any allocation, in both
    /// container versions (ContainerV2Tests has version 2's hostile varints).
    @Test func oversizedLengthFieldsAreRejectedWithoutAllocating() throws {
        let header = StreamHeader(modality: .bytes, chunkSizeLog2: 16, originalSize: nil, modelID: 0)
        for (raw, coded) in [(Int(UInt32.max), 100), (1 << 16, Int(UInt32.max)), (1 << 17, 10), (1 << 16, (1 << 16) + 1)] {
            let record = ChunkRecord(method: .zstd, modality: .bytes, sampleBytes: 1, rawLength: raw, codedLength: coded, rawCRC: 0)
            for stream in [ContainerV1.header(header) + ContainerV1.record(record), ContainerV2.header(header) + ContainerV2.record(record)] {
                expectFlowZipError(.corrupt, "chunk 1 record: lengths \(raw)/\(coded) out of range") {
                    try FlowZip.decompress(stream)
                }
            }
        }
    }

    @Test func trailingGarbageIsRejected() {
        expectRejected(Self.stream + [0])
    }

    @Test func swappedChunksAreRejected() {
        // Two streams of the same layout: a chunk from one in the other passes its own CRC but not the trailer's.
        let a = try! FlowZip.compress(TestData.random(70_000, seed: 1), options: FlowZip.Options(chunkSize: 1 << 16))
        let b = try! FlowZip.compress(TestData.random(70_000, seed: 2), options: FlowZip.Options(chunkSize: 1 << 16))
        let split = try! ContainerWalk(a).chunks[1].recordBytes.lowerBound
        #expect(split == (try! ContainerWalk(b)).chunks[1].recordBytes.lowerBound)
        expectRejected(Array(a[..<split] + b[split...]))
    }
}
