/// A PNG file taken apart for re-encoding: everything around the image data kept verbatim, the IDAT
/// chunks' sizes, and the zlib stream they carry. Only what FlowZip can rebuild byte for byte is accepted:
/// 8- or 16-bit gray, gray+alpha, RGB or RGBA, not interlaced, IDAT chunks consecutive.
struct PNGFile {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Bytes before the first IDAT chunk (signature, IHDR, ancillary chunks).
    var prefix: ArraySlice<UInt8>
    /// Data length of each IDAT chunk, in order.
    var idatLengths: [Int]
    /// Bytes after the last IDAT chunk (IEND and anything else).
    var suffix: ArraySlice<UInt8>
    /// The concatenated IDAT data: one zlib stream.
    var zlibStream: [UInt8]
    var geometry: ImageGeometry

    /// Parses `bytes`; nil when it is not a PNG this codec can rebuild exactly.
    static func parse(_ bytes: ArraySlice<UInt8>) -> PNGFile? {
        guard bytes.starts(with: signature) else { return nil }
        var offset = bytes.startIndex + signature.count
        var geometry: ImageGeometry?
        var idatStart: Int?, idatEnd: Int?
        var idatLengths: [Int] = []
        var zlibStream: [UInt8] = []
        while offset + 12 <= bytes.endIndex {
            let length = Int(bigEndian32(bytes, offset))
            guard length <= bytes.endIndex - offset - 12 else { return nil }
            let type = Array(bytes[(offset + 4)..<(offset + 8)])
            let data = bytes[(offset + 8)..<(offset + 8 + length)]
            let next = offset + 12 + length
            switch String(decoding: type, as: UTF8.self) {
            case "IHDR":
                guard geometry == nil, let parsed = parseHeader(data) else { return nil }
                geometry = parsed
            case "IDAT":
                if idatStart == nil { idatStart = offset }
                guard idatEnd == nil || idatEnd == offset else { return nil }  // IDATs must be consecutive
                idatEnd = next
                idatLengths.append(length)
                zlibStream.append(contentsOf: data)
            case "IEND":
                guard let geometry, let idatStart, let idatEnd else { return nil }
                return PNGFile(prefix: bytes[bytes.startIndex..<idatStart], idatLengths: idatLengths,
                               suffix: bytes[idatEnd...], zlibStream: zlibStream, geometry: geometry)
            default:
                break
            }
            offset = next
        }
        return nil
    }

    /// IHDR: only the layouts whose raw rows are exactly PNM's (whole bytes per sample, big-endian).
    private static func parseHeader(_ data: ArraySlice<UInt8>) -> ImageGeometry? {
        guard data.count == 13 else { return nil }
        let width = Int(bigEndian32(data, data.startIndex))
        let height = Int(bigEndian32(data, data.startIndex + 4))
        let bitDepth = Int(data[data.startIndex + 8])
        let colourType = data[data.startIndex + 9]
        let interlace = data[data.startIndex + 12]
        let channelsByType: [UInt8: Int] = [0: 1, 2: 3, 4: 2, 6: 4]
        guard let channels = channelsByType[colourType], bitDepth == 8 || bitDepth == 16, interlace == 0,
              data[data.startIndex + 10] == 0, data[data.startIndex + 11] == 0,
              (1...PNMHeader.maxDimension).contains(width), (1...PNMHeader.maxDimension).contains(height)
        else { return nil }
        return ImageGeometry(width: width, height: height, channels: channels, bitDepth: bitDepth,
                             maxValue: (1 << bitDepth) - 1)
    }

    /// Rebuilds the file from its parts and the zlib stream.
    static func assemble(prefix: ArraySlice<UInt8>, idatLengths: [Int], zlibStream: [UInt8],
                         suffix: ArraySlice<UInt8>) -> [UInt8]? {
        guard idatLengths.reduce(0, +) == zlibStream.count else { return nil }
        var out = Array(prefix)
        var offset = 0
        for length in idatLengths {
            var chunk: [UInt8] = Array("IDAT".utf8)
            chunk.append(contentsOf: zlibStream[offset..<(offset + length)])
            appendBigEndian32(&out, UInt32(length))
            out.append(contentsOf: chunk)
            appendBigEndian32(&out, CRC32.checksum(chunk))
            offset += length
        }
        out.append(contentsOf: suffix)
        return out
    }

    static func bigEndian32(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[at + $1]) }
    }

    static func appendBigEndian32(_ out: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
