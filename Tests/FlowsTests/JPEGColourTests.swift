import Foundation
import Testing
@testable import Flows

/// Flag bit 5 (`JPEGColourLifting`): lossless on any pixels, chosen for images made the way a
/// JPEG decoder makes them (and smaller there), not chosen for others, and damaged streams rejected.
struct JPEGColourTests {
    /// Pixels as libjpeg's decoder makes them: full-resolution Y, Cb and Cr at half resolution
    /// (linearly upsampled here), then its integer YCbCr → RGB with clamping. `saturation`
    /// scales the chroma; large values push pixels into the clamp.
    static func jpegLike(width w: Int, height h: Int, saturation: Int, seed: UInt64) throws -> PixelImage {
        var rng = seed
        func next() -> Int { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Int(rng >> 33) }
        let (cw, ch) = ((w + 1) / 2 + 1, (h + 1) / 2 + 1)
        let cb = (0..<cw * ch).map { i in 128 + saturation * ((i % cw) - cw / 2 + (next() % 5)) / max(cw, 1) }
        let cr = (0..<cw * ch).map { i in 128 + saturation * ((i / cw) - ch / 2 + (next() % 5)) / max(ch, 1) }
        func up(_ p: [Int], _ x: Int, _ y: Int) -> Int {   // bilinear from the half-resolution plane
            let (x0, y0) = (x / 2, y / 2), (fx, fy) = (x % 2, y % 2)
            let s = p[y0 * cw + x0] * (2 - fx) * (2 - fy) + p[y0 * cw + x0 + 1] * fx * (2 - fy)
                + p[(y0 + 1) * cw + x0] * (2 - fx) * fy + p[(y0 + 1) * cw + x0 + 1] * fx * fy
            return min(255, max(0, (s + 2) / 4))
        }
        var planes = [[Int32]](repeating: [Int32](repeating: 0, count: w * h), count: 3)
        for y in 0..<h {
            for x in 0..<w {
                let luma = min(255, max(0, 60 + (x * 3 + y * 2) % 140 + next() % 3))
                let (b, r) = (up(cb, x, y) - 128, up(cr, x, y) - 128)
                let red = luma + (91881 * r + 32768) >> 16
                let green = luma + ((-22554 * b + 32768 - 46802 * r) >> 16)
                let blue = luma + (116130 * b + 32768) >> 16
                for (c, v) in [red, green, blue].enumerated() { planes[c][y * w + x] = Int32(min(255, max(0, v))) }
            }
        }
        return try PixelImage(width: w, height: h, bitDepth: 8, planes: planes.map { Plane(width: w, height: h, samples: $0) })
    }

    @Test(arguments: [0, 1, 2, 3, 4])
    func liftingIsLosslessOnAnyPixels(_ kind: Int) throws {
        let (w, h) = (37, 23)
        let planes: [Plane]
        switch kind {
        case 0, 1: planes = try Self.jpegLike(width: w, height: h, saturation: kind == 0 ? 60 : 900, seed: 7).planes
        case 2: planes = (0..<3).map { c in Plane(width: w, height: h, samples: (0..<w * h).map { Int32(($0 * 7919 + c * 104729) % 256) }) }
        case 3: planes = (0..<4).map { c in Plane(width: w, height: h, samples: (0..<w * h).map { ($0 + c) % 2 == 0 ? 0 : 255 }) }
        default: planes = (0..<3).map { c in Plane(width: w, height: h, samples: [Int32](repeating: c == 1 ? 0 : 255, count: w * h)) }
        }
        let lifted = try JPEGColourLifting.forward(planes)
        #expect(try JPEGColourLifting.inverse(lifted) == planes)
        for p in lifted.prefix(1) { #expect(p.samples.allSatisfy { (0...255).contains($0) }) }
    }

    /// A 64×48 crop of chelsea.ppm (validation split) after `convert -quality 92 -sampling-factor
    /// 4:2:0` to JPEG and back: real libjpeg output.
    static func jpegDecodedCrop() throws -> PixelImage {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../FlowZipTests/Golden/jpeg-decoded-crop.ppm").standardized
        let bytes = [UInt8](try Data(contentsOf: url))
        let header = 13   // "P6\n64 48\n255\n"
        #expect(bytes.count == header + 64 * 48 * 3)
        return try PixelImage(interleaved: Array(bytes[header...]), width: 64, height: 48, channels: 3, bitDepth: 8)
    }

    @Test func jpegDecodedImagesUseItAndShrink() throws {
        let img = try Self.jpegDecodedCrop()
        #expect(JPEGColourLifting.matchedPer1024(img.planes) >= ImageFlowCodec.jpegColourMatchPer1024)
        let stream = try ImageFlowCodec.encode(img)
        let plain = try ImageFlowCodec.encode(img, options: .init(jpegColour: false))
        print("JPEG-decoded crop: \(stream.count) against \(plain.count) bytes")
        #expect(stream[3] & 32 != 0)
        #expect(stream.count < plain.count)
        #expect(try ImageFlowCodec.decode(stream, maxSamples: 64 * 48 * 3) == img)
        // The synthetic decoder output, clamped pixels included, round-trips through the codec too.
        let synthetic = try Self.jpegLike(width: 40, height: 30, saturation: 900, seed: 3)
        let forced = try ImageFlowCodec.encodeSingle(synthetic, options: .init(), model: nil, learnedCorrection: true, jpegColour: true)
        #expect(forced[3] & 32 != 0)
        #expect(try ImageFlowCodec.decode(forced, maxSamples: 40 * 30 * 3) == synthetic)
    }

    @Test func otherImagesDoNotQualify() throws {
        let img = try image(.smooth, width: 40, height: 30, channels: 3, bitDepth: 8)
        #expect(JPEGColourLifting.matchedPer1024(img.planes) < ImageFlowCodec.jpegColourMatchPer1024)
        #expect(try ImageFlowCodec.encode(img)[3] & 32 == 0)
    }

    @Test func damagedStreamsAreRejected() throws {
        let img = try Self.jpegLike(width: 24, height: 16, saturation: 60, seed: 5)
        let stream = try ImageFlowCodec.encode(img)
        #expect(stream[3] & 32 != 0)
        var gray = stream
        gray[3] &= ~1   // bit 5 without the colour lifting bit
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(gray, maxSamples: 24 * 16 * 3) }
        let bad = [Plane(width: 1, height: 1, samples: [10]), Plane(width: 1, height: 1, samples: [5]),
                   Plane(width: 1, height: 1, samples: [300])]
        #expect(throws: FlowsError.self) { try JPEGColourLifting.inverse(bad) }
        for cut in [stream.count / 2, stream.count - 1] {
            #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(Array(stream.prefix(cut)), maxSamples: 24 * 16 * 3) }
        }
    }

    /// The format of flag bit 5, pinned: `Golden/flow-jpeg-colour-v5.bin` (the flow payload of the
    /// crop, raster version 5) must decode to the crop, and the encoder without the learned coding
    /// (which model 5 made smaller on this crop) must write it byte for byte.
    /// `FLOWZIP_WRITE_GOLDEN=1` writes it if it is missing (never overwrite it).
    @Test func goldenStream() throws {
        let img = try Self.jpegDecodedCrop()
        let stream = try ImageFlowCodec.encode(img, options: .init(learnedRaster: false))
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../FlowZipTests/Golden/flow-jpeg-colour-v5.bin").standardized
        if ProcessInfo.processInfo.environment["FLOWZIP_WRITE_GOLDEN"] != nil && !FileManager.default.fileExists(atPath: url.path) {
            try Data(stream).write(to: url)
        }
        let golden = [UInt8](try Data(contentsOf: url))
        #expect(golden[0] == ImageStreamHeader.biasCancellationVersion && golden[3] & 32 != 0)
        #expect(stream == golden)
        #expect(try ImageFlowCodec.decode(golden, maxSamples: 64 * 48 * 3) == img)
    }

    /// `Golden/flow-jpeg-colour.bin`, written with raster version 4 before bias cancellation:
    /// decodes forever (today's encoder writes version 5 instead).
    @Test func versionFourGoldenStreamDecodes() throws {
        let img = try Self.jpegDecodedCrop()
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../FlowZipTests/Golden/flow-jpeg-colour.bin").standardized
        let golden = [UInt8](try Data(contentsOf: url))
        #expect(golden[0] == ImageStreamHeader.rasterVersion && golden[3] & 32 != 0)
        #expect(try ImageFlowCodec.decode(golden, maxSamples: 64 * 48 * 3) == img)
    }
}
