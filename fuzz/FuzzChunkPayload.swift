// libFuzzer target for the chunk methods' decoders (zlib, zstd, flow, flowAudio, png), reached without the container's
// checksums: byte 0 picks the method, bytes 1-2 the raw length minus 1, the rest is the payload. Any input must
// give bytes or a FlowZipError, never a crash, hang or huge allocation.
@_spi(Fuzzing) import FlowZip

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunkPayload(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count >= 3 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let method = bytes[0] % 6
    let rawLength = 1 + (Int(bytes[1]) | Int(bytes[2]) << 8)
    do {
        _ = try FlowZip.decodeChunkPayload(Array(bytes[3...]), methodID: method, rawLength: rawLength)
    } catch is FlowZipError {
    } catch {
        fatalError("decoder threw a non-FlowZip error: \(error)")
    }
    return 0
}
