/// The container: a header, chunks of contiguous original bytes, a trailer. FORMAT.md specifies every
/// byte; `ContainerV1` and `ContainerV2` are its code, and the types below are what both versions say.
/// Every field is checked before use: a damaged length or method is reported as such before anything is
/// decoded or allocated.
enum Format {
    static let magic: [UInt8] = [0x89, 0x46, 0x5A, 0x1A]  // "\x89FZ\x1A": binary, never valid text
    /// The version this build writes; it reads every version up to it.
    static let version: UInt8 = ContainerV2.version
    static let trailerTag: UInt8 = 0xFF
    /// Chunk sizes a stream may declare: 64 KiB to 64 MiB, so a decoder never allocates more than that.
    static let chunkSizeLog2Range: ClosedRange<UInt8> = 16...26

    /// The version byte of a stream that starts with `bytes` (at least its first 5 bytes, if it has them).
    static func version(of bytes: [UInt8]) throws -> UInt8 {
        guard bytes.count >= magic.count, Array(bytes.prefix(4)) == magic else {
            throw bytes.count < magic.count && magic.starts(with: bytes) ? FlowZipError.truncated("stream header")
                : FlowZipError.notFlowZip
        }
        guard bytes.count >= 5 else { throw FlowZipError.truncated("stream header") }
        guard bytes[4] == ContainerV1.version || bytes[4] == ContainerV2.version else {
            throw FlowZipError.unsupportedVersion(Int(bytes[4]))
        }
        return bytes[4]
    }
}

/// What kind of data a stream or chunk holds; it decides which methods are tried. The raw values are
/// the format's.
public enum Modality: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Bytes with no known structure.
    case bytes = 0
    /// Image pixels (PNM).
    case image = 1
    /// Audio samples (WAV).
    case audio = 2

    /// The name `flowzip info` prints: `bytes`, `image`, `audio`.
    public var description: String {
        switch self {
        case .bytes: return "bytes"
        case .image: return "image"
        case .audio: return "audio"
        }
    }
}

/// How one chunk was coded: the public `StreamInfo.Chunk.Method`, whose raw values are the format's ids.
typealias ChunkMethodID = StreamInfo.Chunk.Method

extension StreamInfo.Chunk.Method {
    /// A method with a model of the data (flow, flowAudio, png), as opposed to a generic byte coder.
    var isModel: Bool { self == .flow || self == .flowAudio || self == .png }
}

/// What the stream header says, in either version.
struct StreamHeader: Equatable {
    /// The container version the stream was written in.
    var version: UInt8 = Format.version
    var modality: Modality
    var chunkSizeLog2: UInt8
    /// Nil when the compressor did not know the size up front (reading a pipe). A version 2 stream of one
    /// chunk declares it through that chunk's raw length.
    var originalSize: UInt64?
    /// Hash of the model the flow chunks need; 0 when no chunk uses a model.
    var modelID: UInt64
    /// Pixel mode (`--image`): the original is a `PixelDocument` and decompressing writes it as this
    /// file type.
    var pixelOutput: ImageFileKind? = nil

    var chunkSize: Int { 1 << Int(chunkSizeLog2) }

    /// Checks the fields every version shares, once the header's CRC matched.
    static func validated(modality modalityByte: UInt8, chunkSizeLog2: UInt8) throws -> Modality {
        guard let modality = Modality(rawValue: modalityByte) else {
            throw FlowZipError.corrupt("stream header: unknown modality \(modalityByte)")
        }
        guard Format.chunkSizeLog2Range.contains(chunkSizeLog2) else {
            throw FlowZipError.corrupt("stream header: chunk size 2^\(chunkSizeLog2) out of range")
        }
        return modality
    }
}

/// What the record in front of each chunk's payload says, in either version.
struct ChunkRecord: Equatable {
    var method: ChunkMethodID
    var modality: Modality
    /// Bytes per sample of the chunk's data (1 for plain bytes); used to report bits per unit.
    var sampleBytes: UInt8
    var rawLength: Int
    var codedLength: Int
    var rawCRC: UInt32

    /// A record from its fields as read, once its CRC matched; `context` names it in messages.
    static func validated(method methodByte: UInt8, modality modalityByte: UInt8, sampleBytes: UInt8, raw: UInt64,
                          coded: UInt64, rawCRC: UInt32, context: String, chunkSize: Int) throws -> ChunkRecord {
        // The record's CRC matched, so an unknown method is most likely one a newer FlowZip added.
        guard let method = ChunkMethodID(rawValue: methodByte) else {
            throw FlowZipError.unsupported("\(context): unknown method \(methodByte)")
        }
        guard let modality = Modality(rawValue: modalityByte), (1...4).contains(sampleBytes) else {
            throw FlowZipError.corrupt("\(context): unknown data kind \(modalityByte)/\(sampleBytes)")
        }
        // The compressor never keeps a coding larger than the raw bytes, and never cuts a chunk larger
        // than the declared chunk size: both bounds hold for every valid stream.
        guard raw >= 1, raw <= UInt64(chunkSize), coded >= 1, coded <= raw else {
            throw FlowZipError.corrupt("\(context): lengths \(raw)/\(coded) out of range")
        }
        guard method != .store || coded == raw else {
            throw FlowZipError.corrupt("\(context): stored chunk with coded length \(coded) != \(raw)")
        }
        return ChunkRecord(method: method, modality: modality, sampleBytes: sampleBytes,
                           rawLength: Int(raw), codedLength: Int(coded), rawCRC: rawCRC)
    }
}

/// The end of a stream: chunk count, total size and CRC-32 of the whole original.
struct StreamTrailer: Equatable {
    var chunkCount: UInt64
    var originalSize: UInt64
    var originalCRC: UInt32
}
