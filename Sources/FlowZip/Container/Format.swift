/// The container format, version 1. FORMAT.md specifies every byte; this file is its code.
/// All integers are little-endian. Every record carries a CRC-32 of its own bytes, so a damaged length or
/// method is reported as such before anything is decoded or allocated.
enum Format {
    static let magic: [UInt8] = [0x89, 0x46, 0x5A, 0x1A]  // "\x89FZ\x1A": binary, never valid text
    static let version: UInt8 = 1
    static let headerSize = 28
    static let recordSize = 19
    static let trailerSize = 21
    static let trailerTag: UInt8 = 0xFF
    /// Chunk sizes a stream may declare: 64 KiB to 64 MiB, so a decoder never allocates more than that.
    static let chunkSizeLog2Range: ClosedRange<UInt8> = 16...26
}

/// What kind of data a stream or chunk holds; it decides which methods are tried.
public enum Modality: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Bytes with no known structure.
    case bytes = 0
    /// Image pixels (PNM).
    case image = 1
    /// Audio samples (WAV).
    case audio = 2

    public var description: String {
        switch self {
        case .bytes: return "bytes"
        case .image: return "image"
        case .audio: return "audio"
        }
    }
}

/// How one chunk was coded. The raw values are the format's method ids.
enum ChunkMethodID: UInt8, CaseIterable {
    case store = 0
    case zlib = 1
    case zstd = 2
    case flow = 3
    /// Audio and numeric samples through the 1-D integer flow (FlowAudioMethod).
    case flowAudio = 4
    /// A whole PNG file rebuilt from its pixels.
    case png = 5

    /// A method with a model of the data (flow, flowAudio, png), as opposed to a generic byte coder.
    var isModel: Bool { self == .flow || self == .flowAudio || self == .png }
}

/// Stream header: the first 28 bytes.
struct StreamHeader: Equatable {
    var modality: Modality
    var chunkSizeLog2: UInt8
    /// Nil when the compressor did not know the size up front (reading a pipe).
    var originalSize: UInt64?
    /// Hash of the model the flow chunks need; 0 when no chunk uses a model.
    var modelID: UInt64
    /// Pixel mode (`--image`): the original is a `PixelDocument` and decompressing writes it as this
    /// file type (flags bit 1, and bit 2 for PNG).
    var pixelOutput: ImageFileKind? = nil

    var chunkSize: Int { 1 << Int(chunkSizeLog2) }

    func serialized() -> [UInt8] {
        var out = ByteWriter()
        out.append(Format.magic)
        out.append(Format.version)
        out.append(modality.rawValue)
        out.append(chunkSizeLog2)
        let pixelFlags: UInt8 = switch pixelOutput { case nil: 0; case .pnm: 2; case .png: 6 }
        out.append((originalSize == nil ? 0 : 1) | pixelFlags)
        out.append(originalSize ?? 0)
        out.append(modelID)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    static func parse(_ bytes: [UInt8]) throws -> StreamHeader {
        guard bytes.count >= Format.magic.count, Array(bytes.prefix(4)) == Format.magic else {
            throw bytes.count < Format.magic.count && Format.magic.starts(with: bytes)
                ? FlowZipError.truncated("stream header") : FlowZipError.notFlowZip
        }
        guard bytes.count >= 5 else { throw FlowZipError.truncated("stream header") }
        guard bytes[4] == Format.version else { throw FlowZipError.unsupportedVersion(Int(bytes[4])) }
        guard bytes.count >= Format.headerSize else { throw FlowZipError.truncated("stream header") }
        var reader = ByteReader(bytes, context: "stream header")
        reader.skip(5)
        let modalityByte = try reader.u8()
        let chunkSizeLog2 = try reader.u8()
        let flags = try reader.u8()
        let size = try reader.u64()
        let modelID = try reader.u64()
        let crc = try reader.u32()
        guard CRC32.checksum(bytes[0..<24]) == crc else {
            throw FlowZipError.corrupt("stream header: checksum mismatch")
        }
        guard let modality = Modality(rawValue: modalityByte) else {
            throw FlowZipError.corrupt("stream header: unknown modality \(modalityByte)")
        }
        guard Format.chunkSizeLog2Range.contains(chunkSizeLog2) else {
            throw FlowZipError.corrupt("stream header: chunk size 2^\(chunkSizeLog2) out of range")
        }
        // Bit 2 (PNG output) only with bit 1 (pixel mode).
        guard flags & ~7 == 0, flags & 6 != 4, flags & 1 == 1 || size == 0 else {
            throw FlowZipError.corrupt("stream header: unknown flags \(flags)")
        }
        let pixelOutput: ImageFileKind? = flags & 2 == 0 ? nil : flags & 4 != 0 ? .png : .pnm
        return StreamHeader(modality: modality, chunkSizeLog2: chunkSizeLog2,
                            originalSize: flags & 1 == 1 ? size : nil, modelID: modelID, pixelOutput: pixelOutput)
    }
}

/// The record in front of each chunk's payload.
struct ChunkRecord: Equatable {
    var method: ChunkMethodID
    var modality: Modality
    /// Bytes per sample of the chunk's data (1 for plain bytes); used to report bits per unit.
    var sampleBytes: UInt8
    var rawLength: Int
    var codedLength: Int
    var rawCRC: UInt32

    func serialized() -> [UInt8] {
        var out = ByteWriter()
        out.append(method.rawValue)
        out.append(modality.rawValue)
        out.append(sampleBytes)
        out.append(UInt32(rawLength))
        out.append(UInt32(codedLength))
        out.append(rawCRC)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    /// Parses a record whose first byte (`method`) was already read and was not the trailer tag.
    /// `index` is 1-based, for messages.
    static func parse(_ bytes: [UInt8], index: Int, chunkSize: Int) throws -> ChunkRecord {
        let context = "chunk \(index) record"
        guard bytes.count == Format.recordSize else { throw FlowZipError.truncated(context) }
        var reader = ByteReader(bytes, context: context)
        let methodByte = try reader.u8()
        let modalityByte = try reader.u8()
        let sampleBytes = try reader.u8()
        let raw = try reader.u32()
        let coded = try reader.u32()
        let rawCRC = try reader.u32()
        let crc = try reader.u32()
        guard CRC32.checksum(bytes[0..<15]) == crc else {
            throw FlowZipError.corrupt("\(context): checksum mismatch")
        }
        guard let method = ChunkMethodID(rawValue: methodByte) else {
            throw FlowZipError.corrupt("\(context): unknown method \(methodByte)")
        }
        guard let modality = Modality(rawValue: modalityByte), (1...4).contains(sampleBytes) else {
            throw FlowZipError.corrupt("\(context): unknown data kind \(modalityByte)/\(sampleBytes)")
        }
        // The compressor never keeps a coding larger than the raw bytes, and never cuts a chunk larger
        // than the declared chunk size: both bounds hold for every valid stream.
        guard raw >= 1, Int(raw) <= chunkSize, coded >= 1, coded <= raw else {
            throw FlowZipError.corrupt("\(context): lengths \(raw)/\(coded) out of range")
        }
        guard method != .store || coded == raw else {
            throw FlowZipError.corrupt("\(context): stored chunk with coded length \(coded) != \(raw)")
        }
        return ChunkRecord(method: method, modality: modality, sampleBytes: sampleBytes,
                           rawLength: Int(raw), codedLength: Int(coded), rawCRC: rawCRC)
    }
}

/// The end of a stream: tag, chunk count, total size and CRC-32 of the whole original.
struct StreamTrailer: Equatable {
    var chunkCount: UInt32
    var originalSize: UInt64
    var originalCRC: UInt32

    func serialized() -> [UInt8] {
        var out = ByteWriter()
        out.append(Format.trailerTag)
        out.append(chunkCount)
        out.append(originalSize)
        out.append(originalCRC)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    static func parse(_ bytes: [UInt8]) throws -> StreamTrailer {
        guard bytes.count == Format.trailerSize else { throw FlowZipError.truncated("trailer") }
        var reader = ByteReader(bytes, context: "trailer")
        reader.skip(1)
        let count = try reader.u32()
        let size = try reader.u64()
        let originalCRC = try reader.u32()
        let crc = try reader.u32()
        guard CRC32.checksum(bytes[0..<17]) == crc else { throw FlowZipError.corrupt("trailer: checksum mismatch") }
        return StreamTrailer(chunkCount: count, originalSize: size, originalCRC: originalCRC)
    }
}
