/// The codec on PNM-layout pixel bytes (rows of pixels, channels interleaved, 16-bit samples
/// big-endian), one strip at a time: neither direction holds the whole image as Int32 planes, so
/// memory stays near the bytes themselves plus one strip's working set (`ImageFlowOptions.stripPixels`).
extension ImageFlowCodec {
    /// Compresses pixel bytes; the stream is the same as `encode(PixelImage(interleaved: ...))`.
    /// With a `model`, each strip is coded as `encodeChoosingPrior` does (or, with `alwaysLearned`,
    /// with the learned prior). Strips are coded on up to `threads` threads; the stream is the same
    /// for every count.
    public static func encode(interleaved bytes: ArraySlice<UInt8>, width: Int, height: Int, channels: Int,
                              bitDepth: Int, options: ImageFlowOptions = .init(), model: ImagePriorModel? = nil,
                              alwaysLearned: Bool = false, threads: Int = 1) throws(FlowsError) -> [UInt8] {
        guard (1...4).contains(channels) else { throw FlowsError.unsupported("\(channels) channels (1...4 supported)") }
        guard bitDepth == 8 || bitDepth == 16 else { throw FlowsError.unsupported("bit depth \(bitDepth) (8 or 16 supported)") }
        guard width >= 0, height >= 0 else { throw FlowsError.shapeMismatch("negative size \(width)×\(height)") }
        let (rowBytes, o1) = width.multipliedReportingOverflow(by: channels * bitDepth / 8)
        let (total, o2) = rowBytes.multipliedReportingOverflow(by: height)
        guard !o1, !o2, bytes.count == total else {
            throw FlowsError.shapeMismatch("\(bytes.count) bytes do not hold \(width)×\(height)×\(channels) samples of \(bitDepth) bits")
        }
        let strips = options.stripRows(width: width, height: height)
        guard strips.count > 1 else {
            let image = try PixelImage(interleaved: bytes, width: width, height: height, channels: channels, bitDepth: bitDepth)
            return try encodeStrip(image, options: options.forRows(0..<height, of: height), model: model, always: alwaysLearned)
        }
        let coded = try ParallelJobs.map(strips.count, threads: threads) { i throws(FlowsError) in
            let start = bytes.startIndex + strips[i].lowerBound * rowBytes
            let strip = try PixelImage(interleaved: bytes[start..<start + strips[i].count * rowBytes], width: width,
                                       height: strips[i].count, channels: channels, bitDepth: bitDepth)
            return try encodeStrip(strip, options: options.forStrips.forRows(strips[i], of: height), model: model, always: alwaysLearned)
        }
        return StripContainer.serialize(coded)
    }

    /// Decompresses a stream made by either `encode` into pixel bytes, which must number exactly
    /// `byteCount`; a stream describing more samples is rejected before allocating them.
    /// A stream coded with a learned prior needs the same `model`. Strips are decoded on up to
    /// `threads` threads.
    public static func decodeInterleaved(_ stream: ArraySlice<UInt8>, byteCount: Int,
                                         model: ImagePriorModel? = nil, threads: Int = 1) throws(FlowsError) -> [UInt8] {
        let bytes = Array(stream)
        guard bytes.first == StripContainer.marker else {
            let out = try decodeSingle(bytes, maxSamples: byteCount, model: model).interleavedBytes()
            guard out.count == byteCount else {
                throw FlowsError.corrupt("flow stream decodes to \(out.count) bytes, expected \(byteCount)")
            }
            return out
        }
        // Every strip's header first (cheap): the strips must agree in shape and their sizes must add up to
        // `byteCount` before any strip is decoded, so parallel decoding never allocates more than that.
        let ranges = try StripContainer.parse(bytes)
        var shape: (width: Int, channels: Int, bitDepth: Int)? = nil
        var sizes = [Int]()
        var total = 0
        for range in ranges {
            let (header, _) = try ImageStreamHeader.parse(Array(bytes[range]), maxSamples: byteCount)
            guard header.height > 0 else { throw FlowsError.corrupt("empty strip") }
            let s = (header.width, header.channels, header.bitDepth)
            guard shape == nil || shape! == s else { throw FlowsError.corrupt("strips differ in width, channels or depth") }
            shape = s
            let size = header.width * header.height * header.channels * header.bitDepth / 8
            total += size
            guard total <= byteCount else {
                throw FlowsError.corrupt("flow strips hold more than the expected \(byteCount) bytes")
            }
            sizes.append(size)
        }
        guard total == byteCount else {
            throw FlowsError.corrupt("flow stream decodes to \(total) bytes, expected \(byteCount)")
        }
        let stripSizes = sizes
        let strips = try ParallelJobs.map(ranges.count, threads: threads) { i throws(FlowsError) in
            try decodeSingle(Array(bytes[ranges[i]]), maxSamples: stripSizes[i], model: model).interleavedBytes()
        }
        var out = [UInt8]()
        out.reserveCapacity(byteCount)
        for strip in strips { out.append(contentsOf: strip) }
        return out
    }
}
