/// Container version 2 (FORMAT.md, *Container version 2*): version 1's structure and checks in fewer
/// bytes. Sizes and lengths are LEB128 varints in their shortest encoding, absent fields are left out
/// (flags say which), a stored chunk has no coded length, and a stream of one chunk puts that chunk's
/// record in the header under the header's CRC and has no trailer (its raw CRC is the whole original's).
/// A stream of 1-16 KiB that compresses pays 20 bytes instead of version 1's 68 (28 + 19 + 21).
enum ContainerV2 {
    static let version: UInt8 = 2

    /// Header flag bits (byte 5).
    enum Flag {
        /// The original size follows (general form; a compressor reading a pipe does not know it).
        static let originalSize: UInt8 = 1
        /// Pixel mode: the original is a `PixelDocument`, written out as a PNM, or a PNG with `png`.
        static let pixelMode: UInt8 = 2
        static let png: UInt8 = 4
        /// The model id follows.
        static let modelID: UInt8 = 8
        /// One-chunk form: the header holds the only chunk's record; no trailer.
        static let oneChunk: UInt8 = 16
        static let known: UInt8 = 31
    }

    /// The longest encodings (every varint 10 bytes), so a reader knows how far to look ahead.
    static let maxRecordFieldsLength = 1 + 10 + 10 + 4
    static let maxHeaderLength = 7 + 8 + maxRecordFieldsLength + 4
    static let maxRecordLength = maxRecordFieldsLength + 4
    static let maxTrailerLength = 1 + 10 + 10 + 4

    /// The general form's header: chunk records and a trailer follow.
    static func header(_ header: StreamHeader) -> [UInt8] {
        var out = headerFields(header, oneChunk: false)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    /// The one-chunk form's header, which holds `record`; its payload follows, and nothing after it.
    static func oneChunkHeader(_ header: StreamHeader, record: ChunkRecord) -> [UInt8] {
        var out = headerFields(header, oneChunk: true)
        appendRecordFields(record, to: &out)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    private static func headerFields(_ header: StreamHeader, oneChunk: Bool) -> ByteWriter {
        var flags: UInt8 = switch header.pixelOutput { case nil: 0; case .pnm: Flag.pixelMode; case .png: Flag.pixelMode | Flag.png }
        if oneChunk { flags |= Flag.oneChunk } else if header.originalSize != nil { flags |= Flag.originalSize }
        if header.modelID != 0 { flags |= Flag.modelID }
        var out = ByteWriter()
        out.append(Format.magic)
        out.append(version)
        out.append(flags)
        out.append(header.modality.rawValue << 4 | (header.chunkSizeLog2 - Format.chunkSizeLog2Range.lowerBound))
        if flags & Flag.originalSize != 0, let size = header.originalSize { out.appendVarint(size) }
        if flags & Flag.modelID != 0 { out.append(header.modelID) }
        return out
    }

    /// Parses the header at the start of `bytes` (magic and version checked; at least `maxHeaderLength`
    /// bytes unless the stream is shorter). Returns it, the one-chunk form's record, and its length.
    static func parseHeader(_ bytes: [UInt8]) throws -> (header: StreamHeader, onlyChunk: ChunkRecord?, length: Int) {
        var reader = ByteReader(bytes, context: "stream header")
        reader.skip(5)
        let flags = try reader.u8()
        let layout = try reader.u8()
        let size = try flags & Flag.originalSize != 0 ? reader.varint("original size") : nil
        let modelID = try flags & Flag.modelID != 0 ? reader.u64() : 0
        let fields = try flags & Flag.oneChunk != 0 ? readRecordFields(&reader) : nil
        let crcOffset = reader.offset
        guard try reader.u32() == CRC32.checksum(bytes[0..<crcOffset]) else {
            throw FlowZipError.checksumMismatch("stream header: checksum mismatch")
        }
        guard layout & 0xC0 == 0 else { throw FlowZipError.corrupt("stream header: unknown layout byte \(layout)") }
        let chunkSizeLog2 = layout & 15 + Format.chunkSizeLog2Range.lowerBound
        let modality = try StreamHeader.validated(modality: layout >> 4, chunkSizeLog2: chunkSizeLog2)
        // Pixel mode needs the size, to bound the document before decoding it.
        guard flags & ~Flag.known == 0, flags & Flag.png == 0 || flags & Flag.pixelMode != 0,
              flags & Flag.originalSize == 0 || flags & Flag.oneChunk == 0,
              flags & Flag.pixelMode == 0 || flags & (Flag.originalSize | Flag.oneChunk) != 0,
              flags & Flag.modelID == 0 || modelID != 0 else {
            throw FlowZipError.corrupt("stream header: unknown flags \(flags)")
        }
        let onlyChunk = try fields.map { try $0.validated(context: "chunk 1 record", chunkSize: 1 << Int(chunkSizeLog2)) }
        let pixelOutput: ImageFileKind? = flags & Flag.pixelMode == 0 ? nil : flags & Flag.png != 0 ? .png : .pnm
        let header = StreamHeader(version: version, modality: modality, chunkSizeLog2: chunkSizeLog2,
                                  originalSize: onlyChunk.map { UInt64($0.rawLength) } ?? size, modelID: modelID,
                                  pixelOutput: pixelOutput)
        return (header, onlyChunk, reader.offset)
    }

    /// A general-form chunk record.
    static func record(_ record: ChunkRecord) -> [UInt8] {
        var out = ByteWriter()
        appendRecordFields(record, to: &out)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    /// Parses the record at the start of `bytes` (whose first byte is not the trailer tag; at least
    /// `maxRecordLength` bytes unless the stream is shorter). `index` is 1-based, for messages.
    static func parseRecord(_ bytes: [UInt8], index: Int, chunkSize: Int) throws -> (record: ChunkRecord, length: Int) {
        let context = "chunk \(index) record"
        var reader = ByteReader(bytes, context: context)
        let fields = try readRecordFields(&reader)
        let crcOffset = reader.offset
        guard try reader.u32() == CRC32.checksum(bytes[0..<crcOffset]) else {
            throw FlowZipError.checksumMismatch("\(context): checksum mismatch")
        }
        return (try fields.validated(context: context, chunkSize: chunkSize), reader.offset)
    }

    /// The trailer has no CRC of its own: the decoder only compares its fields with what it decoded (none
    /// sizes or allocates anything) and every varint has one encoding, so any change is a mismatch.
    static func trailer(_ trailer: StreamTrailer) -> [UInt8] {
        var out = ByteWriter()
        out.append(Format.trailerTag)
        out.appendVarint(trailer.chunkCount)
        out.appendVarint(trailer.originalSize)
        out.append(trailer.originalCRC)
        return out.bytes
    }

    /// Parses the trailer at the start of `bytes` (starting with the tag).
    static func parseTrailer(_ bytes: [UInt8]) throws -> (trailer: StreamTrailer, length: Int) {
        var reader = ByteReader(bytes, context: "trailer")
        reader.skip(1)
        let count = try reader.varint("chunk count")
        let size = try reader.varint("original size")
        let crc = try reader.u32()
        return (StreamTrailer(chunkCount: count, originalSize: size, originalCRC: crc), reader.offset)
    }

    /// A record's fields as read, before its CRC is checked.
    struct RecordFields {
        var descriptor: UInt8
        var raw: UInt64
        var coded: UInt64
        var rawCRC: UInt32

        func validated(context: String, chunkSize: Int) throws -> ChunkRecord {
            // Bit 7 is 0 in every record, so a record never starts with the trailer's tag.
            guard descriptor & 0x80 == 0 else { throw FlowZipError.corrupt("\(context): unknown descriptor \(descriptor)") }
            return try ChunkRecord.validated(method: descriptor & 7, modality: descriptor >> 3 & 3,
                                             sampleBytes: (descriptor >> 5 & 3) + 1, raw: raw, coded: coded,
                                             rawCRC: rawCRC, context: context, chunkSize: chunkSize)
        }
    }

    /// Descriptor (method, kind, sample bytes − 1 in bits 0-2, 3-4, 5-6), raw length, coded length
    /// unless stored (then it equals the raw length), raw CRC.
    private static func appendRecordFields(_ record: ChunkRecord, to out: inout ByteWriter) {
        out.append(record.method.rawValue | record.modality.rawValue << 3 | (record.sampleBytes - 1) << 5)
        out.appendVarint(UInt64(record.rawLength))
        if record.method != .store { out.appendVarint(UInt64(record.codedLength)) }
        out.append(record.rawCRC)
    }

    private static func readRecordFields(_ reader: inout ByteReader) throws -> RecordFields {
        let descriptor = try reader.u8()
        let raw = try reader.varint("raw length")
        let coded = try descriptor & 7 == ChunkMethodID.store.rawValue ? raw : reader.varint("coded length")
        return RecordFields(descriptor: descriptor, raw: raw, coded: coded, rawCRC: try reader.u32())
    }
}
