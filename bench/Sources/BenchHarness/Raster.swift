import FlowZip

/// Decoded pixels of a binary PNM file (P5, P6 or P7/PAM), used to check that an image codec's
/// output has exactly the original's pixels whatever container it came back in.
public struct Raster: Equatable, Sendable {
    /// Pixels per row.
    public var width: Int
    /// Rows.
    public var height: Int
    /// Samples per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    public var channels: Int
    /// Largest sample value (PNM maxval): 255 for 8-bit, up to 65535.
    public var maxValue: Int
    /// Samples, row by row, channels interleaved.
    public var samples: [UInt16]

    /// Why a byte string is not a PNM image this reader understands.
    public struct FormatError: Error, CustomStringConvertible {
        /// What is wrong with the file.
        public var description: String
    }

    /// Parses a binary PNM file with 8- or 16-bit samples (the header through FlowZip's own reader).
    public init(pnm bytes: [UInt8]) throws {
        guard let header = PNMHeader.parse(bytes[...]) else {
            throw FormatError(description: "not a binary PNM (P5/P6/P7, 1-4 channels, maxval 1-65535) header")
        }
        let g = header.geometry
        (width, height, channels, maxValue) = (g.width, g.height, g.channels, g.maxValue)
        let sampleBytes = g.bitDepth / 8
        let count = width * height * channels
        let start = header.length
        guard bytes.count - start >= count * sampleBytes else {
            throw FormatError(description: "PNM raster truncated: \(bytes.count - start) of \(count * sampleBytes) bytes")
        }
        if sampleBytes == 1 {
            samples = bytes[start..<start + count].map { UInt16($0) }
        } else {
            samples = (0..<count).map { UInt16(bytes[start + 2 * $0]) << 8 | UInt16(bytes[start + 2 * $0 + 1]) }
        }
    }

    /// True when both rasters show the same pixels: same size and sample range, grey equal to R = G = B,
    /// and a missing alpha channel equal to a fully opaque one. So a grey PGM decoded to RGBA by a
    /// peer codec still compares equal, but any changed sample does not.
    public func samePixels(as other: Raster) -> Bool {
        guard width == other.width, height == other.height, maxValue == other.maxValue else { return false }
        if channels == other.channels { return samples == other.samples }
        for pixel in 0..<(width * height) where rgba(pixel) != other.rgba(pixel) {
            return false
        }
        return true
    }

    /// One pixel as (R, G, B, A), grey replicated and alpha defaulting to opaque.
    private func rgba(_ pixel: Int) -> [UInt16] {
        let s = samples[(pixel * channels)..<(pixel * channels + channels)]
        let i = s.startIndex
        switch channels {
        case 1: return [s[i], s[i], s[i], UInt16(maxValue)]
        case 2: return [s[i], s[i], s[i], s[i + 1]]
        case 3: return [s[i], s[i + 1], s[i + 2], UInt16(maxValue)]
        default: return Array(s)
        }
    }
}
