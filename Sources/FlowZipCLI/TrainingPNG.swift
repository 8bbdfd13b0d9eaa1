import CPNG
import Flows
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG training images. FlowTraining reads PNM only (it does not link libpng), so the command line
/// decodes PNG with the same libpng shim the library uses and hands the trainer the pixels.
enum TrainingPNG {
    /// Larger images are refused before their pixels are allocated (the library's PNG limit).
    static let maxPixelBytes = 1 << 28

    /// The pixels of a gray or RGB PNG (8-bit, or 16-bit for the loader to skip as such). Palette,
    /// alpha and gray below 8 bits are refused with the reason: they are not the prior's domain.
    static func decode(_ file: [UInt8]) throws -> PixelImage {
        var image = fz_png_image()
        var pixels: UnsafeMutablePointer<UInt8>? = nil
        let status = file.withUnsafeBufferPointer { fz_png_decode($0.baseAddress, $0.count, maxPixelBytes, &image, &pixels) }
        defer { free(pixels) }
        guard status == 0, let pixels else {
            let message = withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw CLIError("bad PNG: \(message)")
        }
        let depth = Int(image.bit_depth)
        switch image.color_type {
        case 3: throw CLIError("palette PNG")
        case 4, 6: throw CLIError("PNG with alpha")
        default: break
        }
        guard depth == 8 || depth == 16 else { throw CLIError("\(depth)-bit PNG") }
        let (width, height, channels) = (Int(image.width), Int(image.height), Int(image.channels))
        let count = width * height * channels * depth / 8
        // PNG's 16-bit samples are big-endian, as PNM's.
        return try PixelImage(interleaved: UnsafeBufferPointer(start: pixels, count: count), width: width, height: height,
                              channels: channels, bitDepth: depth)
    }
}
