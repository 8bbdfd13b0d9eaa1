import CZlib
import Flows

/// Side information of small images, packed. A flow stream's header (prior scales with `255` for
/// unused contexts, band corrections, value sets) is 200-800 bytes whatever the image's size: for a
/// 32×32 crop about a third of the stream. Deflate halves it (measured in bench/results/small-images.md).
///
/// ```
/// byte 0     16 (a flow stream starts with 1, a strip container with 2)
/// LEB128     H: the header's length
/// LEB128     P: the packed header's length
/// P bytes    the header's H bytes as one raw deflate stream (RFC 1951), ending exactly there
/// rest       the stream's rANS words, as they follow the header
/// ```
/// The encoder packs a single flow stream's header when that is smaller and H < 65536; strip containers
/// are left as they are (their headers are a small part of a large image).
enum PackedFlowPayload {
    static let marker: UInt8 = 16
    /// Headers this long or longer are not packed (and a packed one claiming more is refused).
    static let headerLimit = 1 << 16

    /// The packed form of a flow stream, or nil when it would not be smaller.
    static func pack(_ stream: [UInt8]) -> [UInt8]? {
        guard let h = ImageFlowCodec.headerLength(ofSingleStream: stream), h > 0, h < headerLimit,
              let packed = Reflate.deflate(Array(stream[0..<h]), DeflateParameters(level: 9, windowBits: -15, memLevel: 9,
                                                                                   strategy: Z_DEFAULT_STRATEGY))
        else { return nil }
        var out: [UInt8] = [marker]
        appendLEB128(h, to: &out)
        appendLEB128(packed.count, to: &out)
        out += packed
        out += stream[h...]
        return out.count < stream.count ? out : nil
    }

    /// The flow stream a packed payload holds; throws unless every field is consistent.
    static func unpack(_ payload: ArraySlice<UInt8>) throws -> [UInt8] {
        var offset = payload.startIndex + 1
        let h = try readLEB128(payload, &offset), p = try readLEB128(payload, &offset)
        guard h >= 1, h < headerLimit, p <= payload.endIndex - offset else {
            throw FlowZipError.corrupt("flow chunk: packed header lengths \(h)/\(p)")
        }
        guard let header = inflateRaw(payload[offset..<offset + p], size: h) else {
            throw FlowZipError.corrupt("flow chunk: packed header does not inflate to \(h) bytes")
        }
        return header + payload[(offset + p)...]
    }

    static func appendLEB128(_ value: Int, to out: inout [UInt8]) {
        var v = value
        while v >= 128 {
            out.append(UInt8(v & 127) | 128)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// At most 4 bytes (values below 2^28), the last without the continuation bit.
    static func readLEB128(_ bytes: ArraySlice<UInt8>, _ offset: inout Int) throws -> Int {
        var value = 0
        for shift in stride(from: 0, to: 28, by: 7) {
            guard offset < bytes.endIndex else { throw FlowZipError.truncated("flow chunk: packed header length") }
            let byte = bytes[offset]
            offset += 1
            value |= Int(byte & 127) << shift
            if byte < 128 { return value }
        }
        throw FlowZipError.corrupt("flow chunk: packed header length too long")
    }

    /// Exactly `size` bytes from a raw deflate stream that ends exactly at the end of `input`; else nil.
    static func inflateRaw(_ input: ArraySlice<UInt8>, size: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        // One spare byte: a stream that inflates to more fills it and is refused.
        var output = [UInt8](repeating: 0, count: size + 1)
        let source = Array(input)
        let status = source.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(src.count)
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, stream.avail_in == 0, Int(stream.total_out) == size else { return nil }
        output.removeLast()
        return output
    }
}
