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
        let payload = (Format.headerSize + Format.recordSize)..<(stream.count - Format.trailerSize)
        #expect(harmless.allSatisfy { payload.contains($0) }, "container bytes \(harmless) went unnoticed")
    }

    @Test func flippedBytesInEveryPartOfALargerStreamAreRejected() {
        let stream = Self.stream
        let firstPayload = Format.headerSize + Format.recordSize
        for offset in [0, 5, 8, 20, 27, Format.headerSize, Format.headerSize + 4, Format.headerSize + 18,
                       firstPayload, firstPayload + 100, stream.count / 2, stream.count - Format.trailerSize,
                       stream.count - 10, stream.count - 1] {
            var damaged = stream
            damaged[offset] = ~damaged[offset]
            expectRejected(damaged, "byte \(offset) inverted")
        }
    }

    @Test func wrongMagicSaysItIsNotAFlowZipStream() {
        var damaged = Self.stream
        damaged[1] = UInt8(ascii: "X")
        #expect(throws: FlowZipError.notFlowZip) { try FlowZip.decompress(damaged) }
        #expect(throws: FlowZipError.notFlowZip) { try FlowZip.decompress(Array("hello world".utf8)) }
    }

    @Test func unknownVersionIsNamed() {
        var damaged = Self.stream
        damaged[4] = 9
        #expect(throws: FlowZipError.unsupportedVersion(9)) { try FlowZip.decompress(damaged) }
    }

    @Test func damagedRecordNamesTheChunk() {
        var damaged = Self.stream
        damaged[Format.headerSize + 4] ^= 1  // raw length of chunk 1
        #expect(throws: FlowZipError.corrupt("chunk 1 record: checksum mismatch")) { try FlowZip.decompress(damaged) }
    }

    @Test func damagedPayloadNamesTheChunk() throws {
        var damaged = Self.stream
        // Chunk 2 holds random bytes, so it is stored: flipping its payload leaves only the CRC to notice.
        let first = try ChunkRecord.parse(Array(damaged[Format.headerSize..<(Format.headerSize + Format.recordSize)]),
                                          index: 1, chunkSize: 1 << 16)
        let secondPayload = Format.headerSize + 2 * Format.recordSize + first.codedLength
        damaged[secondPayload + 1000] ^= 1
        #expect(throws: FlowZipError.corrupt("chunk 2: checksum mismatch")) { try FlowZip.decompress(damaged) }
    }

    /// A record whose CRC is valid but whose length is absurd: rejected before any allocation.
    @Test func oversizedLengthFieldsAreRejectedWithoutAllocating() {
        for (raw, coded) in [(UInt32.max, UInt32(100)), (UInt32(1 << 16), UInt32.max), (UInt32(1 << 17), UInt32(10))] {
            var damaged = Array(Self.stream.prefix(Format.headerSize))
            var record = ByteWriter()
            record.append(ChunkMethodID.zstd.rawValue)
            record.append(Modality.bytes.rawValue)
            record.append(UInt8(1))
            record.append(raw)
            record.append(coded)
            record.append(UInt32(0))
            record.append(CRC32.checksum(record.bytes))
            damaged += record.bytes
            #expect(throws: FlowZipError.corrupt("chunk 1 record: lengths \(raw)/\(coded) out of range")) {
                try FlowZip.decompress(damaged)
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
        let split = Format.headerSize + Format.recordSize + (1 << 16)
        expectRejected(Array(a[..<split] + b[split...]))
    }
}
