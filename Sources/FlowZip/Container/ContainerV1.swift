/// Container version 1 (FORMAT.md, *Container version 1*): fixed-size little-endian records, each with a
/// CRC-32 of its own bytes. Streams written before version 2 decode through it forever; nothing writes
/// version 1 any more (the tests' hand-built version 1 streams use Tests/FlowZipTests/ContainerV1Writer.swift).
enum ContainerV1 {
    static let version: UInt8 = 1
    static let headerSize = 28
    static let recordSize = 19
    static let trailerSize = 21

    /// Parses the first `headerSize` bytes of a stream whose magic and version were checked.
    static func parseHeader(_ bytes: [UInt8]) throws -> StreamHeader {
        guard bytes.count >= headerSize else { throw FlowZipError.truncated("stream header") }
        var reader = ByteReader(bytes, context: "stream header")
        reader.skip(5)
        let modalityByte = try reader.u8()
        let chunkSizeLog2 = try reader.u8()
        let flags = try reader.u8()
        let size = try reader.u64()
        let modelID = try reader.u64()
        let crc = try reader.u32()
        guard CRC32.checksum(bytes[0..<24]) == crc else {
            throw FlowZipError.checksumMismatch("stream header: checksum mismatch")
        }
        let modality = try StreamHeader.validated(modality: modalityByte, chunkSizeLog2: chunkSizeLog2)
        // Bit 2 (PNG output) only with bit 1 (pixel mode).
        guard flags & ~7 == 0, flags & 6 != 4, flags & 1 == 1 || size == 0 else {
            throw FlowZipError.corrupt("stream header: unknown flags \(flags)")
        }
        let pixelOutput: ImageFileKind? = flags & 2 == 0 ? nil : flags & 4 != 0 ? .png : .pnm
        return StreamHeader(version: version, modality: modality, chunkSizeLog2: chunkSizeLog2,
                            originalSize: flags & 1 == 1 ? size : nil, modelID: modelID, pixelOutput: pixelOutput)
    }

    /// Parses a record (the first `recordSize` bytes of `bytes`) whose first byte is not the trailer tag.
    /// `index` is 1-based, for messages.
    static func parseRecord(_ bytes: [UInt8], index: Int, chunkSize: Int) throws -> ChunkRecord {
        let context = "chunk \(index) record"
        guard bytes.count >= recordSize else { throw FlowZipError.truncated(context) }
        var reader = ByteReader(bytes, context: context)
        let methodByte = try reader.u8()
        let modalityByte = try reader.u8()
        let sampleBytes = try reader.u8()
        let raw = try reader.u32()
        let coded = try reader.u32()
        let rawCRC = try reader.u32()
        let crc = try reader.u32()
        guard CRC32.checksum(bytes[0..<15]) == crc else {
            throw FlowZipError.checksumMismatch("\(context): checksum mismatch")
        }
        return try ChunkRecord.validated(method: methodByte, modality: modalityByte, sampleBytes: sampleBytes,
                                         raw: UInt64(raw), coded: UInt64(coded), rawCRC: rawCRC,
                                         context: context, chunkSize: chunkSize)
    }

    /// Parses a trailer (the first `trailerSize` bytes of `bytes`, starting with the tag).
    static func parseTrailer(_ bytes: [UInt8]) throws -> StreamTrailer {
        guard bytes.count >= trailerSize else { throw FlowZipError.truncated("trailer") }
        var reader = ByteReader(bytes, context: "trailer")
        reader.skip(1)
        let count = try reader.u32()
        let size = try reader.u64()
        let originalCRC = try reader.u32()
        let crc = try reader.u32()
        guard CRC32.checksum(bytes[0..<17]) == crc else { throw FlowZipError.checksumMismatch("trailer: checksum mismatch") }
        return StreamTrailer(chunkCount: UInt64(count), originalSize: size, originalCRC: originalCRC)
    }
}
