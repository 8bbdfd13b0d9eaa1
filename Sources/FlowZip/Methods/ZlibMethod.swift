internal import CZlib

/// The `zlib` chunk method: one zlib stream (RFC 1950) per chunk.
enum ZlibMethod {
    static let levels = 1...9

    static func compress(_ input: ArraySlice<UInt8>, level: Int) throws -> [UInt8] {
        var capacity = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { src in
                compress2(out.baseAddress!.assumingMemoryBound(to: Bytef.self), &capacity,
                          src.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(src.count), Int32(level))
            }
        }
        guard status == Z_OK else { throw FlowZipError.io("zlib: compression failed (\(status))") }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int) throws -> [UInt8] {
        // One spare byte: a payload that inflates to more than the record says fills it and is caught.
        var output = [UInt8](repeating: 0, count: rawLength + 1)
        var length = uLong(output.count)
        var consumed = uLong(payload.count)
        let status = output.withUnsafeMutableBytes { out in
            payload.withUnsafeBytes { src in
                uncompress2(out.baseAddress!.assumingMemoryBound(to: Bytef.self), &length,
                            src.baseAddress?.assumingMemoryBound(to: Bytef.self), &consumed)
            }
        }
        guard status == Z_OK || status == Z_BUF_ERROR else {
            throw FlowZipError.corrupt("zlib payload: inflate failed (\(status))")
        }
        guard status == Z_OK, Int(length) == rawLength, Int(consumed) == payload.count else {
            throw FlowZipError.corrupt("zlib payload does not decode to the \(rawLength) bytes its record states")
        }
        output.removeLast()
        return output
    }
}
