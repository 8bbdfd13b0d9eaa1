/// The geometry in a PNG file's IHDR chunk; enough to count sub-pixels and to pick codecs.
struct PNGHeader: Equatable {
    var width: Int
    var height: Int
    /// Bits per sample as stored (1, 2, 4, 8 or 16).
    var bitDepth: Int
    /// Samples per pixel after palette expansion: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    var channels: Int

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads the IHDR that must follow the signature; nil if `bytes` is not a PNG.
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 33, Array(bytes[0..<8]) == PNGHeader.signature,
              Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = u32(16)
        height = u32(20)
        bitDepth = Int(bytes[24])
        switch bytes[25] {
        case 0: channels = 1
        case 2: channels = 3
        case 3: channels = 3  // palette: expands to RGB
        case 4: channels = 2
        case 6: channels = 4
        default: return nil
        }
        guard width > 0, height > 0 else { return nil }
    }
}
