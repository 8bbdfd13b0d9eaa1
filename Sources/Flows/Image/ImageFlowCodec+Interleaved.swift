/// The codec on PNM-layout pixel bytes (rows of pixels, channels interleaved, 16-bit samples
/// big-endian), one strip at a time: neither direction holds the whole image as Int32 planes, so
/// memory stays near the bytes themselves plus one strip's working set (`ImageFlowOptions.stripPixels`).
extension ImageFlowCodec {
    /// Compresses pixel bytes; the stream is the same as `encode(PixelImage(interleaved: ...))`.
    /// With a `model`, each strip is coded as `encodeChoosingPrior` does (or, with `alwaysLearned`,
    /// with the learned prior).
    public static func encode(interleaved bytes: ArraySlice<UInt8>, width: Int, height: Int, channels: Int,
                              bitDepth: Int, options: ImageFlowOptions = .init(), model: ImagePriorModel? = nil,
                              alwaysLearned: Bool = false) throws(FlowsError) -> [UInt8] {
        guard (1...4).contains(channels) else { throw FlowsError.unsupported("\(channels) channels (1...4 supported)") }
        guard bitDepth == 8 || bitDepth == 16 else { throw FlowsError.unsupported("bit depth \(bitDepth) (8 or 16 supported)") }
        guard width >= 0, height >= 0 else { throw FlowsError.shapeMismatch("negative size \(width)×\(height)") }
        let (rowBytes, o1) = width.multipliedReportingOverflow(by: channels * bitDepth / 8)
        let (total, o2) = rowBytes.multipliedReportingOverflow(by: height)
        guard !o1, !o2, bytes.count == total else {
            throw FlowsError.shapeMismatch("\(bytes.count) bytes do not hold \(width)×\(height)×\(channels) samples of \(bitDepth) bits")
        }
        func strip(_ rows: Range<Int>) throws(FlowsError) -> PixelImage {
            let start = bytes.startIndex + rows.lowerBound * rowBytes
            return try PixelImage(interleaved: bytes[start..<start + rows.count * rowBytes], width: width,
                                  height: rows.count, channels: channels, bitDepth: bitDepth)
        }
        let rows = max(1, options.stripPixels / max(1, width))
        guard height > rows else { return try encodeStrip(strip(0..<height), options: options, model: model, always: alwaysLearned) }
        var strips = [[UInt8]]()
        for top in stride(from: 0, to: height, by: rows) {
            strips.append(try encodeStrip(strip(top..<min(top + rows, height)), options: options, model: model, always: alwaysLearned))
        }
        return StripContainer.serialize(strips)
    }

    /// Decompresses a stream made by either `encode` into pixel bytes, which must number exactly
    /// `byteCount`; a stream describing more samples is rejected before allocating them.
    /// A stream coded with a learned prior needs the same `model`.
    public static func decodeInterleaved(_ stream: ArraySlice<UInt8>, byteCount: Int,
                                         model: ImagePriorModel? = nil) throws(FlowsError) -> [UInt8] {
        let bytes = Array(stream)
        var out = [UInt8]()
        if bytes.first == StripContainer.marker {
            var shape: (width: Int, channels: Int, bitDepth: Int)? = nil
            for range in try StripContainer.parse(bytes) {
                let strip = try decodeSingle(Array(bytes[range]), maxSamples: byteCount - out.count, model: model)
                guard strip.height > 0 else { throw FlowsError.corrupt("empty strip") }
                let s = (strip.width, strip.channels, strip.bitDepth)
                guard shape == nil || shape! == s else { throw FlowsError.corrupt("strips differ in width, channels or depth") }
                shape = s
                out.append(contentsOf: strip.interleavedBytes())
            }
        } else {
            out = try decodeSingle(bytes, maxSamples: byteCount, model: model).interleavedBytes()
        }
        guard out.count == byteCount else {
            throw FlowsError.corrupt("flow stream decodes to \(out.count) bytes, expected \(byteCount)")
        }
        return out
    }
}
