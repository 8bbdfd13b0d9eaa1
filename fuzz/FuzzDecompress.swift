// libFuzzer target: any byte string fed to the decoder must give bytes or a FlowZipError, never a crash,
// hang or huge allocation.
import FlowZip

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecompress(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let stream = Array(UnsafeBufferPointer(start: data, count: count))
    do {
        let original = try FlowZip.decompress(stream)
        // A stream that decodes must describe itself consistently (a pixel-mode stream's size is its
        // pixel document's; it decodes to a new PNG or PNM file of other length).
        let info = try FlowZip.inspect(stream)
        precondition(info.pixelOutput != nil || info.originalSize == UInt64(original.count))
    } catch is FlowZipError {
    } catch {
        fatalError("decoder threw a non-FlowZip error: \(error)")
    }
    return 0
}
