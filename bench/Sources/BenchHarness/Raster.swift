/// Decoded pixels of a binary PNM file (P5, P6 or P7/PAM), used to check that an image codec's
/// output has exactly the original's pixels whatever container it came back in.
public struct Raster: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// Samples per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    public var channels: Int
    public var maxValue: Int
    /// Samples, row by row, channels interleaved.
    public var samples: [UInt16]

    /// Why a byte string is not a PNM image this reader understands.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses a binary PNM file with 8- or 16-bit samples.
    public init(pnm bytes: [UInt8]) throws {
        var reader = HeaderReader(bytes: bytes)
        guard reader.byte() == UInt8(ascii: "P"), let kind = reader.byte() else {
            throw FormatError(description: "not a PNM file")
        }
        switch kind {
        case UInt8(ascii: "5"), UInt8(ascii: "6"):
            width = try reader.number()
            height = try reader.number()
            maxValue = try reader.number()
            _ = reader.byte()  // the single whitespace byte before the raster
            channels = kind == UInt8(ascii: "5") ? 1 : 3
        case UInt8(ascii: "7"):
            (width, height, channels, maxValue) = try reader.pamFields()
        default:
            throw FormatError(description: "PNM kind P\(Character(UnicodeScalar(kind))) is not binary P5/P6/P7")
        }
        guard width > 0, height > 0, (1...4).contains(channels), (1...65535).contains(maxValue) else {
            throw FormatError(description: "PNM header out of range: \(width)x\(height)x\(channels), maxval \(maxValue)")
        }
        let sampleBytes = maxValue > 255 ? 2 : 1
        let count = width * height * channels
        let start = reader.offset
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

/// Reads PNM header tokens: decimal numbers separated by whitespace and `#` comments.
private struct HeaderReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }

    mutating func skipSpaceAndComments() {
        while offset < bytes.count {
            if HeaderReader.isSpace(bytes[offset]) {
                offset += 1
            } else if bytes[offset] == UInt8(ascii: "#") {
                while let b = byte(), b != 0x0A {}
            } else {
                return
            }
        }
    }

    mutating func word() -> String {
        skipSpaceAndComments()
        let start = offset
        while offset < bytes.count, !HeaderReader.isSpace(bytes[offset]) { offset += 1 }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    mutating func number() throws -> Int {
        let text = word()
        guard text.count <= 9, let value = Int(text) else {
            throw Raster.FormatError(description: "PNM header: expected a number, found '\(text.prefix(20))'")
        }
        return value
    }

    /// The fields of a PAM header up to and including ENDHDR and its newline.
    mutating func pamFields() throws -> (Int, Int, Int, Int) {
        var fields: [String: Int] = [:]
        while true {
            let key = word()
            switch key {
            case "ENDHDR":
                _ = byte()
                guard let w = fields["WIDTH"], let h = fields["HEIGHT"], let d = fields["DEPTH"],
                      let m = fields["MAXVAL"] else {
                    throw Raster.FormatError(description: "PAM header lacks WIDTH, HEIGHT, DEPTH or MAXVAL")
                }
                return (w, h, d, m)
            case "WIDTH", "HEIGHT", "DEPTH", "MAXVAL":
                fields[key] = try number()
            case "TUPLTYPE":
                _ = word()
            case "":
                throw Raster.FormatError(description: "PAM header ends before ENDHDR")
            default:
                throw Raster.FormatError(description: "PAM header: unknown field '\(key.prefix(20))'")
            }
        }
    }
}
