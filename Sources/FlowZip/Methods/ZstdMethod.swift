internal import CZstd

/// The `zstd` chunk method: one zstd frame per chunk, without the optional content-size, dictionary-id
/// and checksum fields (the container records sizes and checksums itself).
enum ZstdMethod {
    /// Levels a caller may ask for (zstd's negative "fast" levels are not offered).
    static let levels = 1...Int(ZSTD_maxCLevel())

    static func compress(_ input: ArraySlice<UInt8>, level: Int) throws -> [UInt8] {
        guard let cctx = ZSTD_createCCtx() else { throw FlowZipError.io("zstd: out of memory") }
        defer { ZSTD_freeCCtx(cctx) }
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(level)))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0))
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = try output.withUnsafeMutableBytes { out in
            try input.withUnsafeBytes { src in
                try check(ZSTD_compress2(cctx, out.baseAddress, out.count, src.baseAddress, src.count))
            }
        }
        output.removeSubrange(written...)
        return output
    }

    /// The size of `input` compressed at `level` with long-distance matching, given the bytes just
    /// before it (`prefix`, referenced as zstd's raw-content prefix): the cost of `input` within one
    /// frame of everything, quickly. An estimate for choosing methods (`FlowMethod`), never a payload.
    static func conditionalSize(of input: ArraySlice<UInt8>, after prefix: ArraySlice<UInt8>, level: Int) throws -> Int {
        guard let cctx = ZSTD_createCCtx() else { throw FlowZipError.io("zstd: out of memory") }
        defer { ZSTD_freeCCtx(cctx) }
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(level)))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, Int32(longWindowLog)))
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        return try prefix.withUnsafeBytes { before in
            try check(ZSTD_CCtx_refPrefix(cctx, before.baseAddress, before.count))
            return try output.withUnsafeMutableBytes { out in
                try input.withUnsafeBytes { src in
                    try check(ZSTD_compress2(cctx, out.baseAddress, out.count, src.baseAddress, src.count))
                }
            }
        }
    }

    /// The window of `conditionalSize` (64 MiB): a prefix longer than this is cut to its end.
    static let longWindowLog = 26

    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: rawLength)
        let written = try output.withUnsafeMutableBytes { out in
            try payload.withUnsafeBytes { src -> Int in
                let result = ZSTD_decompress(out.baseAddress, out.count, src.baseAddress, src.count)
                if ZSTD_isError(result) != 0 {
                    throw FlowZipError.corrupt("zstd payload: \(String(cString: ZSTD_getErrorName(result)))")
                }
                return result
            }
        }
        guard written == rawLength else {
            throw FlowZipError.corrupt("zstd payload decodes to \(written) bytes, record says \(rawLength)")
        }
        return output
    }

    @discardableResult
    private static func check(_ result: Int) throws -> Int {
        if ZSTD_isError(result) != 0 {
            throw FlowZipError.io("zstd: \(String(cString: ZSTD_getErrorName(result)))")
        }
        return result
    }
}
