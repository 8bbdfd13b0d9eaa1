import CZlib
import CZstd

/// zstd and zlib through their C libraries, at the levels the tables compare.
enum LibraryCodecs {
    /// zstd at `level` (one frame, content size recorded).
    static func zstd(level: Int32) -> InProcessCodec {
        InProcessCodec(name: "zstd-\(level)", encode: { input in
            var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
            let written = output.withUnsafeMutableBytes { out in
                input.withUnsafeBytes { ZSTD_compress(out.baseAddress, out.count, $0.baseAddress, $0.count, level) }
            }
            if ZSTD_isError(written) != 0 {
                throw BenchError.codecFailed("zstd: \(String(cString: ZSTD_getErrorName(written)))")
            }
            return Array(output[..<written])
        }, decode: { packed, size in
            var output = [UInt8](repeating: 0, count: size)
            let written = output.withUnsafeMutableBytes { out in
                packed.withUnsafeBytes { ZSTD_decompress(out.baseAddress, out.count, $0.baseAddress, $0.count) }
            }
            if ZSTD_isError(written) != 0 {
                throw BenchError.codecFailed("zstd: \(String(cString: ZSTD_getErrorName(written)))")
            }
            return Array(output[..<written])
        })
    }

    /// zlib (RFC 1950 stream) at `level`.
    static func zlib(level: Int32) -> InProcessCodec {
        InProcessCodec(name: "zlib-\(level)", encode: { input in
            var length = compressBound(uLong(input.count))
            var output = [UInt8](repeating: 0, count: Int(length))
            let status = output.withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { compress2(out.baseAddress, &length, $0.baseAddress, uLong($0.count), level) }
            }
            guard status == Z_OK else { throw BenchError.codecFailed("zlib compress2 returned \(status)") }
            return Array(output[..<Int(length)])
        }, decode: { packed, size in
            var length = uLong(size)
            var output = [UInt8](repeating: 0, count: max(size, 1))
            let status = output.withUnsafeMutableBufferPointer { out in
                packed.withUnsafeBufferPointer { uncompress(out.baseAddress, &length, $0.baseAddress, uLong($0.count)) }
            }
            guard status == Z_OK else { throw BenchError.codecFailed("zlib uncompress returned \(status)") }
            return Array(output[..<Int(length)])
        })
    }
}
