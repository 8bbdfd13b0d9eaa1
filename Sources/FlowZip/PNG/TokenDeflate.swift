internal import CZlib

/// A zlib stream from any deflate encoder (zopfli, libdeflate, miniz ...) recorded as its differences
/// from a reference: each block's header bits verbatim (they hold its Huffman code lengths), its token
/// count, and the tokens as corrections to `TokenPredictor`'s reference search over the inflated data.
/// The decoder, which has the data back from the image flow, repeats the search, applies the
/// corrections and writes the same bits again.
struct TokenDeflate: Equatable, Sendable {
    /// The zlib header (CMF, FLG) as the original has it.
    var header: [UInt8]
    /// Each block's header bits, and its token count (0 for a stored block).
    var blockHeaders: [BitString]
    var tokenCounts: [Int]
    /// The bits after the last block to the byte boundary.
    var trailer: BitString
    /// The tokens, range-coded against the reference search.
    var corrections: [UInt8]

    /// The record that rebuilds `stream` from `data`, checked by rebuilding it; nil if `stream` is not a
    /// zlib stream holding exactly `data` that this scheme can write again bit for bit.
    static func make(stream: [UInt8], data: [UInt8]) -> TokenDeflate? {
        guard stream.count >= 6, let (parsed, used) = DeflateStream.parse(stream[2...], expectedSize: data.count),
              2 + used + 4 == stream.count else { return nil }
        let record = TokenDeflate(header: Array(stream[0..<2]), blockHeaders: parsed.blocks.map(\.header),
                                  tokenCounts: parsed.blocks.map(\.tokens.count), trailer: parsed.trailer,
                                  corrections: TokenPredictor.encode(blocks: parsed.blocks, data: data))
        guard record.rebuild(data) == stream else { return nil }
        return record
    }

    /// The zlib stream; nil if the record does not fit `data`.
    func rebuild(_ data: [UInt8]) -> [UInt8]? {
        guard header.count == 2, blockHeaders.count == tokenCounts.count, !blockHeaders.isEmpty,
              tokenCounts.reduce(0, +) <= data.count else { return nil }
        var blocks = blockHeaders.map { DeflateStream.Block(header: $0, tokens: []) }
        guard TokenPredictor.decode(corrections, blocks: &blocks, tokenCounts: tokenCounts, data: data),
              let deflate = DeflateStream(blocks: blocks, trailer: trailer).write(data) else { return nil }
        var out = header + deflate
        let checksum = data.withUnsafeBytes { UInt32(adler32(1, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
        PNGFile.appendBigEndian32(&out, checksum)
        return out
    }

    /// The record's bytes in the png metadata (FORMAT.md, *PNG payload*).
    func serialize(into writer: inout ByteWriter) {
        writer.append(UInt32(blockHeaders.count))
        for (header, count) in zip(blockHeaders, tokenCounts) {
            writer.append(UInt32(header.count))
            writer.append(header.bytes)
            writer.append(UInt32(count))
        }
        writer.append(UInt8(trailer.count))
        writer.append(trailer.bytes.first ?? 0)
        writer.append(UInt32(corrections.count))
        writer.append(corrections)
    }

    /// Reads a record; every count is bounded by the bytes left, so a damaged one cannot make it
    /// allocate more than the metadata's size.
    static func read(_ reader: inout ByteReader, header: [UInt8], remaining: Int) throws -> TokenDeflate {
        let blockCount = Int(try reader.u32())
        // Every block takes at least 9 bytes here.
        guard blockCount >= 1, blockCount <= remaining / 9 else { throw FlowZipError.corrupt("png metadata: bad deflate block count") }
        var headers: [BitString] = [], counts: [Int] = []
        for _ in 0..<blockCount {
            let bits = Int(try reader.u32())
            guard bits >= 3, bits <= 8 * remaining else { throw FlowZipError.corrupt("png metadata: bad deflate block header") }
            let bytes = try reader.bytes((bits + 7) / 8)
            headers.append(BitString(bytes: bytes, count: bits))
            counts.append(Int(try reader.u32()))
        }
        let trailerBits = Int(try reader.u8())
        let trailerByte = try reader.u8()
        guard trailerBits < 8, trailerByte >> trailerBits == 0 else { throw FlowZipError.corrupt("png metadata: bad deflate padding") }
        let correctionCount = Int(try reader.u32())
        let corrections = try reader.bytes(correctionCount)
        return TokenDeflate(header: header, blockHeaders: headers, tokenCounts: counts,
                            trailer: BitString(bytes: trailerBits > 0 ? [trailerByte] : [], count: trailerBits),
                            corrections: corrections)
    }
}
