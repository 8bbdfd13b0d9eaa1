@testable import FlowZip

/// Writers of container version 1 (FORMAT.md), which the library only reads now: for tests that build
/// version 1 streams by hand (hostile records, header flags). The trailer writer went with no user.
extension ContainerV1 {
    static func header(_ header: StreamHeader) -> [UInt8] {
        var out = ByteWriter()
        out.append(Format.magic)
        out.append(version)
        out.append(header.modality.rawValue)
        out.append(header.chunkSizeLog2)
        let pixelFlags: UInt8 = switch header.pixelOutput { case nil: 0; case .pnm: 2; case .png: 6 }
        out.append((header.originalSize == nil ? 0 : 1) | pixelFlags)
        out.append(header.originalSize ?? 0)
        out.append(header.modelID)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }

    static func record(_ record: ChunkRecord) -> [UInt8] {
        var out = ByteWriter()
        out.append(record.method.rawValue)
        out.append(record.modality.rawValue)
        out.append(record.sampleBytes)
        out.append(UInt32(record.rawLength))
        out.append(UInt32(record.codedLength))
        out.append(record.rawCRC)
        out.append(CRC32.checksum(out.bytes))
        return out.bytes
    }
}
