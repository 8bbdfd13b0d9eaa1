internal import CZlib

/// zlib settings that reproduce a deflate stream exactly. Recorded in the `png` payload so the decoder can
/// deflate the rebuilt data to the very same bytes (precomp's idea): it relies on zlib's deflate being
/// deterministic, which holds for a given zlib version; the payload records the version it was made with.
struct DeflateParameters: Equatable, Sendable {
    var level: Int32
    var windowBits: Int32
    var memLevel: Int32
    var strategy: Int32
}

/// Inflates and re-deflates zlib streams.
enum Reflate {
    /// The data a zlib stream holds, if it inflates to exactly `expectedSize` bytes and nothing follows it.
    static func inflate(_ stream: [UInt8], expectedSize: Int) -> [UInt8]? {
        try? ZlibMethod.decompress(stream[...], rawLength: expectedSize)
    }

    /// Deflates `data` with `parameters`. With `target`, stops and returns nil at the first byte that
    /// differs from it (so a wrong guess costs little); returns nil if zlib fails.
    static func deflate(_ data: [UInt8], _ parameters: DeflateParameters, matching target: [UInt8]? = nil) -> [UInt8]? {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, parameters.level, Z_DEFLATED, parameters.windowBits,
                                       parameters.memLevel, parameters.strategy, zlibVersion(),
                                       Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let piece = 1 << 16
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: piece)
        return data.withUnsafeBytes { input -> [UInt8]? in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            while true {
                let status = buffer.withUnsafeMutableBytes { out -> Int32 in
                    stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(piece)
                    return CZlib.deflate(&stream, Z_FINISH)
                }
                guard status == Z_OK || status == Z_STREAM_END else { return nil }
                let produced = piece - Int(stream.avail_out)
                if let target {
                    let start = output.count
                    guard start + produced <= target.count,
                          target[start..<(start + produced)].elementsEqual(buffer[0..<produced]) else { return nil }
                }
                output.append(contentsOf: buffer[0..<produced])
                if status == Z_STREAM_END { break }
            }
            if let target, output.count != target.count { return nil }
            return output
        }
    }

    /// Finds zlib settings that turn `data` into exactly `target`, trying first what the zlib header's
    /// window size and level hint (FLEVEL) say; nil when none does (another deflate implementation).
    static func findParameters(data: [UInt8], target: [UInt8]) -> DeflateParameters? {
        guard target.count >= 2 else { return nil }
        let cinfo = Int32(target[0] >> 4)
        let windowBits = cinfo + 8
        let levels: [Int32]
        var strategies: [Int32] = [Z_DEFAULT_STRATEGY, Z_FILTERED]
        switch target[1] >> 6 {
        case 0:
            levels = [1, 0, 9, 6, 2, 3, 4, 5, 7, 8]
            strategies = [Z_DEFAULT_STRATEGY, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED, Z_FILTERED]
        case 1: levels = [5, 2, 3, 4]
        case 2: levels = [6]
        default: levels = [9, 8, 7]
        }
        let memLevels: [Int32] = [8, 9, 7, 6, 5, 4, 3, 2, 1]
        for memLevel in memLevels {
            for strategy in strategies {
                for level in levels {
                    // Huffman-only and RLE ignore the level's match search: one level is enough.
                    if (strategy == Z_HUFFMAN_ONLY || strategy == Z_RLE) && level != levels[0] { continue }
                    for window in windowBits == 8 ? [Int32(8), 9] : [windowBits] {
                        let candidate = DeflateParameters(level: level, windowBits: window, memLevel: memLevel,
                                                          strategy: strategy)
                        if deflate(data, candidate, matching: target) != nil { return candidate }
                    }
                }
            }
        }
        return nil
    }
}
