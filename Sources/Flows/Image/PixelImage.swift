/// An image as the flow codec sees it: one `Plane` per channel, samples in `0..<2^bitDepth`.
public struct PixelImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// 8 or 16.
    public let bitDepth: Int
    /// One plane per channel, each `width × height`.
    public let planes: [Plane]

    /// Validates the shape: 1...4 channels, depth 8 or 16, every plane `width × height`.
    /// Sample values are checked by the codec (they must fit in `bitDepth` bits).
    public init(width: Int, height: Int, bitDepth: Int, planes: [Plane]) throws(FlowsError) {
        guard (1...4).contains(planes.count) else { throw FlowsError.unsupported("\(planes.count) channels (1...4 supported)") }
        guard bitDepth == 8 || bitDepth == 16 else { throw FlowsError.unsupported("bit depth \(bitDepth) (8 or 16 supported)") }
        guard width >= 0, height >= 0, planes.allSatisfy({ $0.width == width && $0.height == height }) else {
            throw FlowsError.shapeMismatch("planes must all be \(width)×\(height)")
        }
        self.width = width
        self.height = height
        self.channels = planes.count
        self.bitDepth = bitDepth
        self.planes = planes
    }

    /// The rows `range` of this image.
    public func rows(_ range: Range<Int>) -> PixelImage {
        let planes = self.planes.map {
            Plane(width: width, height: range.count, samples: Array($0.samples[range.lowerBound * width..<range.upperBound * width]))
        }
        // Same shape rules as `self`, so this cannot fail.
        return try! PixelImage(width: width, height: range.count, bitDepth: bitDepth, planes: planes)
    }

    /// Stacks images of equal width, channels and depth top to bottom.
    public init(stacking parts: [PixelImage]) throws(FlowsError) {
        guard let first = parts.first else { throw FlowsError.shapeMismatch("nothing to stack") }
        guard parts.allSatisfy({ $0.width == first.width && $0.channels == first.channels && $0.bitDepth == first.bitDepth }) else {
            throw FlowsError.corrupt("strips differ in width, channels or depth")
        }
        let height = parts.reduce(0) { $0 + $1.height }
        let planes = (0..<first.channels).map { c in
            Plane(width: first.width, height: height, samples: parts.flatMap { $0.planes[c].samples })
        }
        try self.init(width: first.width, height: height, bitDepth: first.bitDepth, planes: planes)
    }

    /// Deinterleaves PNM-style pixel bytes: rows of pixels, channels interleaved, 16-bit samples
    /// big-endian. `bytes.count` must be exactly `width × height × channels × bitDepth/8`.
    public init(interleaved bytes: some Collection<UInt8>, width: Int, height: Int, channels: Int, bitDepth: Int) throws(FlowsError) {
        guard (1...4).contains(channels) else { throw FlowsError.unsupported("\(channels) channels (1...4 supported)") }
        guard bitDepth == 8 || bitDepth == 16 else { throw FlowsError.unsupported("bit depth \(bitDepth) (8 or 16 supported)") }
        let bps = bitDepth / 8
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (total, o2) = pixels.multipliedReportingOverflow(by: channels * bps)
        guard width >= 0, height >= 0, !o1, !o2, bytes.count == total else {
            throw FlowsError.shapeMismatch("\(bytes.count) bytes do not hold \(width)×\(height)×\(channels) samples of \(bitDepth) bits")
        }
        let raw = Array(bytes)
        var planes = (0..<channels).map { _ in Plane(width: width, height: height) }
        for c in 0..<channels {
            var s = [Int32](repeating: 0, count: pixels)
            if bps == 1 {
                for i in 0..<pixels { s[i] = Int32(raw[i * channels + c]) }
            } else {
                for i in 0..<pixels {
                    let o = (i * channels + c) * 2
                    s[i] = Int32(raw[o]) << 8 | Int32(raw[o + 1])
                }
            }
            planes[c].samples = s
        }
        try self.init(width: width, height: height, bitDepth: bitDepth, planes: planes)
    }

    /// The samples interleaved back into PNM byte order (inverse of `init(interleaved:...)`).
    /// Samples are truncated to `bitDepth` bits; the codec guarantees they fit.
    public func interleavedBytes() -> [UInt8] {
        let pixels = width * height, bps = bitDepth / 8
        var out = [UInt8](repeating: 0, count: pixels * channels * bps)
        for c in 0..<channels {
            let s = planes[c].samples
            if bps == 1 {
                for i in 0..<pixels { out[i * channels + c] = UInt8(truncatingIfNeeded: s[i]) }
            } else {
                for i in 0..<pixels {
                    let o = (i * channels + c) * 2
                    out[o] = UInt8(truncatingIfNeeded: s[i] >> 8)
                    out[o + 1] = UInt8(truncatingIfNeeded: s[i])
                }
            }
        }
        return out
    }
}
