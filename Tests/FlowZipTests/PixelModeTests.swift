import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

/// `--image` (pixel mode): any PNG or PNM comes back as a file of the same type with identical pixels
/// (palette indices, transparency, depth and interlacing included), whatever method codes the chunks.
@Suite struct PixelModeTests {
    static let images = TestData.repository.appendingPathComponent("Tests/FlowZipTests/PixelImages")
    static let realPNGs = TestData.repository.appendingPathComponent("corpora/data/png")

    /// Every (colour type, bit depth) IHDR allows, with and without tRNS.
    static let formats: [(colourType: Int, bitDepth: Int, transparency: Bool)] = [
        (0, 1, false), (0, 2, true), (0, 4, false), (0, 8, true), (0, 16, true),
        (2, 8, true), (2, 16, false), (3, 1, false), (3, 2, true), (3, 4, false), (3, 8, true),
        (4, 8, false), (4, 16, false), (6, 8, false), (6, 16, false),
    ]

    /// A 13 × 11 image of that format, smooth with some noise, written by libpng.
    static func synthetic(colourType: Int, bitDepth: Int, transparency: Bool, interlaced: Bool) throws -> PNGPixels {
        let (w, h) = (13, 11)
        let channels = PNGPixels.channels(colourType: colourType)!
        let entries = colourType == 3 ? min(1 << bitDepth, 200) : 0
        let limit = colourType == 3 ? entries : 1 << bitDepth
        var rng = SplitMix64(seed: UInt64(colourType * 100 + bitDepth))
        var samples = [UInt8]()
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<channels {
                    let v = ((x * 5 + y * 3 + c * 7) * limit / 60 + Int(rng.next() % 3)) % limit
                    if bitDepth == 16 { samples += [UInt8(v >> 8), UInt8(v & 255)] } else { samples.append(UInt8(v)) }
                }
            }
        }
        let palette = (0..<entries * 3).map { UInt8(truncatingIfNeeded: $0 * 37) }
        var trns = [UInt8]()
        if transparency {
            switch colourType {
            case 3: trns = (0..<min(entries, 5)).map { UInt8($0 * 50) }
            case 0: trns = [UInt8((limit - 1) >> 8), UInt8((limit - 1) & 255)]
            default: trns = [0, 1, 0, 2, 0, 3]
            }
        }
        return PNGPixels(width: w, height: h, bitDepth: bitDepth, colourType: colourType, interlaced: interlaced,
                         palette: palette, transparency: trns, samples: samples)
    }

    func roundTrip(_ file: [UInt8], options: FlowZip.Options = .init(), threads: Int = 1) throws -> [UInt8] {
        let stream = try FlowZip.compressImage(file, options: options)
        #expect(try FlowZip.inspect(stream).pixelOutput == (file.starts(with: PNGFile.signature) ? .png : .pnm))
        return try FlowZip.decompress(stream, threads: threads)
    }

    @Test(arguments: formats, [false, true])
    func everyColourTypeDepthAndInterlaceKeepsItsPixels(format: (colourType: Int, bitDepth: Int, transparency: Bool),
                                                         interlaced: Bool) throws {
        let image = try Self.synthetic(colourType: format.colourType, bitDepth: format.bitDepth,
                                       transparency: format.transparency, interlaced: interlaced)
        let file = try image.encoded()
        let back = try roundTrip(file)
        #expect(try PNGPixels(decoding: back, maxBytes: 1 << 20) == image)
    }

    /// PNGs written by another encoder (ImageMagick: 1-bit gray, 4-bit palette interlaced, palette with
    /// tRNS, 16-bit gray interlaced, 16-bit RGBA; with gamma, text and time chunks).
    @Test func pngsFromAnotherEncoderKeepTheirPixels() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.images, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "png" }
        #expect(files.count == 5)
        for url in files {
            let file = try [UInt8](Data(contentsOf: url))
            let original = try PNGPixels(decoding: file, maxBytes: 1 << 20)
            let back = try roundTrip(file)
            #expect(try PNGPixels(decoding: back, maxBytes: 1 << 20) == original, "\(url.lastPathComponent)")
        }
    }

    @Test func photoPNGGoesThroughTheFlow() throws {
        let file = try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("corpora/sample/astronaut-face.png")))
        let stream = try FlowZip.compressImage(file)
        // Two chunks: the document's header, then its samples through the flow.
        #expect(try FlowZip.inspect(stream).chunks.map(\.method).last == .flow)
        #expect(try FlowZip.inspect(stream).chunks.count == 2)
        #expect(stream.count < file.count)
        let back = try FlowZip.decompress(stream)
        #expect(try PNGPixels(decoding: back, maxBytes: 1 << 20) == PNGPixels(decoding: file, maxBytes: 1 << 20))
    }

    /// The real PNGs of the corpus (present after `corpora/fetch.sh`); zstd codes the pixels here to keep
    /// the debug test fast: the document and libpng are what is tested (the bench runs the flow).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: realPNGs.path)))
    func realPNGsKeepTheirPixels() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.realPNGs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "png" }
        #expect(!files.isEmpty)
        for url in files {
            let file = try [UInt8](Data(contentsOf: url))
            let back = try roundTrip(file, options: .init(method: .zstd, level: 3))
            #expect(try PNGPixels(decoding: back, maxBytes: 1 << 28) == PNGPixels(decoding: file, maxBytes: 1 << 28),
                    "\(url.lastPathComponent)")
        }
    }

    @Test func pnmComesBackWithACanonicalHeader() throws {
        let ppm = TestData.ppm(width: 9, height: 7)  // has a comment line
        let back = try roundTrip(ppm)
        let header = try #require(PNMHeader.parse(ppm[...]))
        #expect(back == Array("P6\n9 7\n255\n".utf8) + ppm[header.length...])
        var pam = Array("P7\nWIDTH 3\nHEIGHT 2\nDEPTH 2\nMAXVAL 1000\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n".utf8)
        let samples = TestData.random(3 * 2 * 2 * 2, seed: 3).enumerated().map { $0.offset % 2 == 0 ? $0.element & 3 : $0.element }
        pam += samples
        #expect(try roundTrip(pam + [1, 2, 3]) == pam)  // bytes after the raster are not pixels
    }

    @Test func otherInputsAreRefusedClearly() throws {
        #expect(throws: FlowZipError.self) { try FlowZip.compressImage(Array("not an image".utf8)) }
        let png = try Self.synthetic(colourType: 2, bitDepth: 8, transparency: false, interlaced: false).encoded()
        #expect(throws: FlowZipError.self) { try FlowZip.compressImage(png.prefix(png.count - 20)) }
        var badCRC = png
        badCRC[40] ^= 1
        #expect(throws: FlowZipError.self) { try FlowZip.compressImage(badCRC) }
    }

    @Test func damagedDocumentsAndFlagsAreRejected() throws {
        let image = try Self.synthetic(colourType: 3, bitDepth: 4, transparency: true, interlaced: true)
        let document = try PixelDocument(imageFile: try image.encoded())
        let bytes = document.serialized()
        #expect(try PixelDocument(parsing: bytes, kind: .png) == document)
        #expect(throws: FlowZipError.self) { try PixelDocument(parsing: bytes, kind: .pnm) }
        for cut in [1, 5, 7, bytes.count / 2, bytes.count - 3] {
            #expect(throws: FlowZipError.self) { try PixelDocument(parsing: Array(bytes.dropLast(cut)), kind: .png) }
        }
        // Every single-byte change of the header is rejected or still parses to a document libpng can write.
        let headerLength = try #require(PixelDocument.parseHeader(bytes[...])).length
        #expect(headerLength == 17 + 3 + 2 + 3 * 16 + 2 + 5)
        for i in 0..<headerLength {
            var damaged = bytes
            damaged[i] ^= 0x41
            if let parsed = try? PixelDocument(parsing: damaged, kind: .png) { _ = try parsed.imageFile() }
        }
        // A 4-bit sample above 15 cannot be written to the PNG.
        var high = bytes
        high[headerLength] = 16
        #expect(throws: FlowZipError.self) { try PixelDocument(parsing: high, kind: .png) }
        // Header flag bit 2 (PNG output) without bit 1 (pixel mode), in both container versions.
        let stream = try FlowZip.compressImage(try image.encoded(), options: .init(method: .store))
        var reader = StreamReader(source: FlowZip.MemorySource(stream))
        var header = try reader.readHeader()
        header.pixelOutput = nil
        var v2 = ContainerV2.header(header)
        #expect(v2[5] & 7 == 1)
        v2[5] |= 4
        v2.replaceSubrange((v2.count - 4)..., with: withUnsafeBytes(of: CRC32.checksum(v2.dropLast(4)).littleEndian, Array.init))
        expectFlowZipError(.corrupt, "stream header: unknown flags 5") { try FlowZip.decompress(v2) }
        var v1 = ContainerV1.header(header)
        v1[7] |= 4
        v1.replaceSubrange(24..., with: withUnsafeBytes(of: CRC32.checksum(v1[0..<24]).littleEndian, Array.init))
        expectFlowZipError(.corrupt, "stream header: unknown flags 5") { try FlowZip.decompress(v1) }
    }

    /// Damaged PNG files given to `--image` and damaged pixel-mode streams: a typed error or (for a PNG
    /// whose damage libpng tolerates, such as an ancillary chunk's) a round trip, never a crash.
    @Test func damagedInputsGiveTypedErrors() throws {
        let png = try [UInt8](Data(contentsOf: Self.images.appendingPathComponent("palette4-interlaced.png")))
        var rng = SplitMix64(seed: 11)
        for _ in 0..<300 {
            var damaged = png
            for _ in 0..<Int(1 + rng.next() % 3) {
                damaged[Int(rng.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let back = try FlowZip.decompress(try FlowZip.compressImage(damaged, options: .init(method: .zstd, level: 1)))
                #expect(try PNGPixels(decoding: back, maxBytes: 1 << 20) == PNGPixels(decoding: damaged, maxBytes: 1 << 20))
            } catch is FlowZipError {}
        }
        let stream = try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden/pixels-palette-zstd.fz")))
        let original = try FlowZip.decompress(stream)
        for i in stream.indices {
            var damaged = stream
            damaged[i] ^= 0x10
            // The stream's CRCs cover the document: any change is reported, or the byte is unused.
            if let back = try? FlowZip.decompress(damaged) { #expect(back == original, "byte \(i)") }
        }
    }

    @Test func byteExactStreamsAreNotPixelMode() throws {
        let ppm = TestData.ppm(width: 9, height: 7)
        let stream = try FlowZip.compress(ppm)
        #expect(try FlowZip.inspect(stream).pixelOutput == nil)
        #expect(try FlowZip.decompress(stream) == ppm)
    }

    /// A pixel-mode stream of an earlier build (palette with tRNS, interlaced; zstd, whose output Debian 12's
    /// libzstd pins; container version 1) decodes to the same pixels forever, and today's encoder writes
    /// the same chunks (GoldenStreamTests pins container version 2's pixel mode).
    @Test func goldenPixelModeStreamDecodesAndReencodes() throws {
        let source = try [UInt8](Data(contentsOf: Self.images.appendingPathComponent("palette4-interlaced.png")))
        let options = FlowZip.Options(method: .zstd, level: 19, chunkSize: 1 << 22)
        let url = TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden/pixels-palette-zstd.fz")
        let stream = try [UInt8](Data(contentsOf: url))
        let back = try FlowZip.decompress(stream)
        #expect(try PNGPixels(decoding: back, maxBytes: 1 << 20) == PNGPixels(decoding: source, maxBytes: 1 << 20))
        #expect(try ContainerWalk.sameChunks(try FlowZip.compressImage(source, options: options), stream))
    }
}
