internal import CPNG

/// A PNG's pixels as stored, decoded and written with libpng (through the C helpers in `CPNG`'s
/// shim, which keep libpng's longjmp error handling out of Swift): palette indices rather than
/// colours, samples below 8 bits one per byte, 16-bit samples big-endian, interlaced files
/// deinterlaced. Writing them back gives a PNG whose pixels are identical (`--image` mode);
/// gamma, text and other ancillary chunks are not kept.
struct PNGPixels: Equatable {
    var width: Int
    var height: Int
    /// 1, 2, 4, 8 or 16, as in IHDR.
    var bitDepth: Int
    /// 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
    var colourType: Int
    var interlaced: Bool
    /// RGB triples (palette images only).
    var palette: [UInt8]
    /// The tRNS chunk's data as stored: an alpha per palette entry, or the transparent gray (2 bytes)
    /// or RGB (6 bytes) value, big-endian.
    var transparency: [UInt8]
    /// Rows of samples: one byte per sample up to 8 bits, two (big-endian) for 16.
    var samples: [UInt8]

    /// Samples per pixel for a colour type (a palette index is one).
    static func channels(colourType: Int) -> Int? {
        [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]
    }

    /// Whether IHDR allows this depth for this colour type.
    static func allows(colourType: Int, bitDepth: Int) -> Bool {
        switch colourType {
        case 0: return [1, 2, 4, 8, 16].contains(bitDepth)
        case 3: return [1, 2, 4, 8].contains(bitDepth)
        case 2, 4, 6: return bitDepth == 8 || bitDepth == 16
        default: return false
        }
    }

    var channels: Int { Self.channels(colourType: colourType) ?? 0 }

    /// Decodes a PNG file; refuses images of more than `maxBytes` sample bytes.
    init(decoding file: [UInt8], maxBytes: Int) throws {
        var image = fz_png_image()
        var pixels: UnsafeMutablePointer<UInt8>? = nil
        let status = file.withUnsafeBufferPointer { fz_png_decode($0.baseAddress, $0.count, maxBytes, &image, &pixels) }
        defer { free(pixels) }
        guard status == 0, let pixels else {
            throw FlowZipError.unsupported("PNG: \(Self.message(&image))")
        }
        width = Int(image.width)
        height = Int(image.height)
        bitDepth = Int(image.bit_depth)
        colourType = Int(image.color_type)
        interlaced = image.interlaced != 0
        palette = withUnsafeBytes(of: &image.palette) { Array($0.prefix(3 * Int(image.palette_entries))) }
        transparency = withUnsafeBytes(of: &image.trns) { Array($0.prefix(Int(image.trns_length))) }
        let count = width * height * Int(image.channels) * (bitDepth == 16 ? 2 : 1)
        samples = Array(UnsafeBufferPointer(start: pixels, count: count))
        guard Int(image.channels) == channels else { throw FlowZipError.unsupported("PNG: unexpected channel count") }
    }

    init(width: Int, height: Int, bitDepth: Int, colourType: Int, interlaced: Bool, palette: [UInt8],
         transparency: [UInt8], samples: [UInt8]) {
        (self.width, self.height, self.bitDepth, self.colourType) = (width, height, bitDepth, colourType)
        (self.interlaced, self.palette, self.transparency, self.samples) = (interlaced, palette, transparency, samples)
    }

    /// The PNG file libpng writes for these pixels (zlib's default level, libpng's filter choice).
    func encoded() throws -> [UInt8] {
        guard palette.count <= 768, transparency.count <= 256,
              samples.count == width * height * channels * (bitDepth == 16 ? 2 : 1) else {
            throw FlowZipError.corrupt("pixel document: PNG fields do not fit")
        }
        var image = fz_png_image()
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.bit_depth = Int32(bitDepth)
        image.color_type = Int32(colourType)
        image.interlaced = interlaced ? 1 : 0
        image.channels = Int32(channels)
        image.palette_entries = Int32(palette.count / 3)
        withUnsafeMutableBytes(of: &image.palette) { $0.copyBytes(from: palette) }
        image.trns_length = Int32(transparency.count)
        withUnsafeMutableBytes(of: &image.trns) { $0.copyBytes(from: transparency) }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        let status = samples.withUnsafeBufferPointer { fz_png_encode(&image, $0.baseAddress, &out, &size) }
        defer { free(out) }
        guard status == 0, let out else { throw FlowZipError.corrupt("pixel document: libpng: \(Self.message(&image))") }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    private static func message(_ image: inout fz_png_image) -> String {
        withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
