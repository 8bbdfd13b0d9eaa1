/// The header of a binary PNM image: P5 (gray), P6 (RGB) or P7 (PAM: gray, gray+alpha, RGB, RGBA),
/// 8 or 16 bits per sample. Only the geometry is interpreted; the header bytes themselves are kept
/// verbatim in the stream, so any comment or spacing round-trips.
public struct PNMHeader: Equatable, Sendable {
    /// Bytes from the start of the file to the first sample.
    public var length: Int
    /// Size, channels and sample depth of the raster that follows.
    public var geometry: ImageGeometry

    /// Headers longer than this (pages of comments) are not worth sniffing: the file is coded as bytes.
    static let maxLength = 4096
    /// Larger dimensions are not images a flow should see; the file is coded as bytes.
    static let maxDimension = 1 << 20

    /// Parses the header at the start of `bytes`; nil when `bytes` does not start with a PNM header
    /// this codec understands.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> PNMHeader? {
        var scanner = Scanner(bytes: bytes.prefix(maxLength))
        guard scanner.next() == UInt8(ascii: "P"), let kind = scanner.next() else { return nil }
        let width, height, channels, maxValue: Int
        switch kind {
        case UInt8(ascii: "5"), UInt8(ascii: "6"):
            guard let w = scanner.number(), let h = scanner.number(), let m = scanner.number() else { return nil }
            // Exactly one whitespace byte separates the header from the raster.
            guard let separator = scanner.next(), Scanner.isSpace(separator) else { return nil }
            (width, height, maxValue) = (w, h, m)
            channels = kind == UInt8(ascii: "5") ? 1 : 3
        case UInt8(ascii: "7"):
            guard let pam = scanner.pamFields() else { return nil }
            (width, height, channels, maxValue) = pam
        default:
            return nil
        }
        guard (1...maxDimension).contains(width), (1...maxDimension).contains(height),
              (1...4).contains(channels), (1...65535).contains(maxValue) else { return nil }
        let geometry = ImageGeometry(width: width, height: height, channels: channels,
                                     bitDepth: maxValue < 256 ? 8 : 16, maxValue: maxValue)
        return PNMHeader(length: scanner.offset, geometry: geometry)
    }

    /// Reads PNM tokens: whitespace and `#` comments between them.
    private struct Scanner {
        let bytes: ArraySlice<UInt8>
        var offset = 0

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }

        mutating func next() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[bytes.startIndex + offset]
        }

        mutating func peek() -> UInt8? {
            offset < bytes.count ? bytes[bytes.startIndex + offset] : nil
        }

        mutating func skipSpaceAndComments() {
            while let b = peek() {
                if Scanner.isSpace(b) {
                    offset += 1
                } else if b == UInt8(ascii: "#") {
                    while let c = next(), c != 0x0A, c != 0x0D {}
                } else {
                    return
                }
            }
        }

        /// A decimal number of at most 9 digits (no overflow possible).
        mutating func number() -> Int? {
            skipSpaceAndComments()
            var value = 0, digits = 0
            while let b = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b), digits < 9 {
                value = value * 10 + Int(b - UInt8(ascii: "0"))
                digits += 1
                offset += 1
            }
            guard digits > 0, let b = peek(), !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { return nil }
            return value
        }

        mutating func word() -> String? {
            skipSpaceAndComments()
            var chars: [UInt8] = []
            while let b = peek(), !Scanner.isSpace(b), chars.count < 32 {
                chars.append(b)
                offset += 1
            }
            return chars.isEmpty ? nil : String(decoding: chars, as: UTF8.self)
        }

        /// PAM: `WIDTH`, `HEIGHT`, `DEPTH`, `MAXVAL`, optional `TUPLTYPE` lines, then `ENDHDR` and a newline.
        mutating func pamFields() -> (Int, Int, Int, Int)? {
            var fields: [String: Int] = [:]
            while let key = word() {
                switch key {
                case "ENDHDR":
                    guard next() == 0x0A, let w = fields["WIDTH"], let h = fields["HEIGHT"],
                          let d = fields["DEPTH"], let m = fields["MAXVAL"] else { return nil }
                    return (w, h, d, m)
                case "TUPLTYPE":
                    while let c = next(), c != 0x0A {}
                case "WIDTH", "HEIGHT", "DEPTH", "MAXVAL":
                    guard fields[key] == nil, let n = number() else { return nil }
                    fields[key] = n
                default:
                    return nil
                }
            }
            return nil
        }
    }
}
