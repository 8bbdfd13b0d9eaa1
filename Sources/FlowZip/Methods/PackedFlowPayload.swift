internal import CZlib
internal import EntropyCoding
internal import Flows

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
        guard let (h, packed) = packedHeader(stream), packedSize(h: h, packed: packed, stream: stream) < stream.count
        else { return nil }
        var out: [UInt8] = [marker]
        LEB128.append(UInt64(h), to: &out)
        LEB128.append(UInt64(packed.count), to: &out)
        out += packed
        out += stream[h...]
        return out
    }

    /// The bytes `pack(stream) ?? stream` has, without assembling them: what `FlowMethod` writes.
    static let writtenSize = WrittenSize(name: "flow header packed") { stream in
        guard let (h, packed) = packedHeader(stream) else { return stream.count }
        return min(stream.count, packedSize(h: h, packed: packed, stream: stream))
    }

    /// The header's length `h` and its deflated bytes; nil for a strip container or a header too long.
    private static func packedHeader(_ stream: [UInt8]) -> (h: Int, packed: [UInt8])? {
        guard let h = ImageFlowCodec.headerLength(ofSingleStream: stream), h > 0, h < headerLimit,
              let packed = Reflate.deflate(Array(stream[0..<h]), DeflateParameters(level: 9, windowBits: -15, memLevel: 9,
                                                                                   strategy: Z_DEFAULT_STRATEGY))
        else { return nil }
        return (h, packed)
    }

    /// The bytes of the packed form: marker, both lengths, the packed header, the rANS words.
    private static func packedSize(h: Int, packed: [UInt8], stream: [UInt8]) -> Int {
        var lengths = [UInt8]()
        LEB128.append(UInt64(h), to: &lengths)
        LEB128.append(UInt64(packed.count), to: &lengths)
        return 1 + lengths.count + packed.count + stream.count - h
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

    /// At most 4 bytes (values below 2^28).
    static func readLEB128(_ bytes: ArraySlice<UInt8>, _ offset: inout Int) throws -> Int {
        do {
            return Int(try LEB128.read(bytes, at: &offset, maxBits: 28))
        } catch .truncated {
            throw FlowZipError.truncated("flow chunk: packed header length")
        } catch {
            throw FlowZipError.corrupt("flow chunk: packed header length too long")
        }
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
