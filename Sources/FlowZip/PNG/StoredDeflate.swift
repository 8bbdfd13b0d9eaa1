internal import CZlib

/// zlib streams made only of stored (uncompressed) deflate blocks, as some PNG writers emit at
/// compression level 0. zlib itself would cut the blocks elsewhere, so such a stream is rebuilt from
/// its 2-byte header and its block lengths instead of from deflate settings.
struct StoredDeflate: Equatable, Sendable {
    /// The zlib header (CMF, FLG) as the original has it.
    var header: [UInt8]
    /// Data bytes in each stored block, in order (each 0...65535).
    var blockLengths: [Int]

    /// Reads the block structure of `stream`, if it is a zlib stream of stored blocks only, byte-aligned
    /// with zero padding bits, holding exactly `data` and ending with its Adler-32.
    static func parse(_ stream: [UInt8], data: [UInt8]) -> StoredDeflate? {
        guard stream.count >= 6 else { return nil }
        var lengths: [Int] = []
        var offset = 2, total = 0
        while true {
            guard offset + 5 <= stream.count else { return nil }
            let blockHeader = stream[offset]
            // BFINAL in bit 0, BTYPE 00 (stored) in bits 1-2, and the padding bits to the byte boundary 0.
            guard blockHeader & 0xFE == 0 else { return nil }
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            guard length ^ complement == 0xFFFF, offset + 5 + length <= stream.count else { return nil }
            lengths.append(length)
            total += length
            offset += 5 + length
            if blockHeader == 1 { break }
        }
        let candidate = StoredDeflate(header: Array(stream[0..<2]), blockLengths: lengths)
        guard offset + 4 == stream.count, total == data.count, candidate.rebuild(data) == stream else { return nil }
        return candidate
    }

    /// The zlib stream holding `data` in blocks of the recorded lengths; nil if the lengths do not add up.
    func rebuild(_ data: [UInt8]) -> [UInt8]? {
        guard header.count == 2, blockLengths.reduce(0, +) == data.count, !blockLengths.isEmpty,
              blockLengths.allSatisfy({ (0...0xFFFF).contains($0) }) else { return nil }
        var out = header
        out.reserveCapacity(data.count + 5 * blockLengths.count + 6)
        var offset = 0
        for (i, length) in blockLengths.enumerated() {
            out.append(i == blockLengths.count - 1 ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out.append(contentsOf: data[offset..<(offset + length)])
            offset += length
        }
        let checksum = data.withUnsafeBytes { UInt32(adler32(1, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
        PNGFile.appendBigEndian32(&out, checksum)
        return out
    }
}
