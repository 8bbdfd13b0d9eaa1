/// What a pixel-mode stream (`flowzip compress --image`) holds as its original: not the image file's
/// bytes but its pixels, as a canonical PNM file followed by a short descriptor of the file to write
/// back (FORMAT.md, *Pixel mode*):
///
/// ```
/// PNM header   P5 (gray), P6 (RGB) or P7 (gray+alpha, RGB+alpha) with MAXVAL 2^depth - 1
/// samples      rows, channels interleaved, 16-bit big-endian (PNG palette images: the indices)
/// descriptor   version 1, source (1 PNG, 2 PNM); for a PNG: colour type, bit depth, interlace
///              (0/1), u16 palette entries P, 3P palette bytes, u16 tRNS length T, T tRNS bytes
/// u16          descriptor length
/// "FZPX"       magic
/// ```
/// The PNM part goes through the container like any PNM (its pixels through the flow, in parallel
/// strips); the stream header's flags say the stream is pixel mode and which file type it writes.
struct PixelDocument: Equatable {
    /// The file type to write back.
    enum Source: Equatable {
        case pnm
        /// A PNG of this format (`samples` empty: the pixels are the document's).
        case png(PNGPixels)
    }

    var geometry: ImageGeometry
    /// PNM-layout samples.
    var samples: [UInt8]
    var source: Source

    static let magic = Array("FZPX".utf8)
    static let version: UInt8 = 1
    /// Pixel bytes a document may hold (as the png method's limit).
    static let maxPixelBytes = PNGMethod.maxPixelBytes

    var kind: ImageFileKind {
        if case .png = source { return .png }
        return .pnm
    }

    /// The pixels of a PNG or binary PNM file.
    init(imageFile file: [UInt8]) throws {
        if file.starts(with: PNGFile.signature) {
            var png = try PNGPixels(decoding: file, maxBytes: Self.maxPixelBytes)
            guard (1...PNMHeader.maxDimension).contains(png.width), (1...PNMHeader.maxDimension).contains(png.height) else {
                throw FlowZipError.unsupported("--image: \(png.width)×\(png.height) pixels (each side 1...\(PNMHeader.maxDimension))")
            }
            geometry = ImageGeometry(width: png.width, height: png.height, channels: png.channels,
                                     bitDepth: png.bitDepth == 16 ? 16 : 8, maxValue: (1 << png.bitDepth) - 1)
            samples = png.samples
            png.samples = []
            source = .png(png)
        } else if let header = PNMHeader.parse(file[...]) {
            geometry = header.geometry
            let count = geometry.rowBytes * geometry.height
            guard count <= Self.maxPixelBytes else { throw FlowZipError.unsupported("--image: image too large") }
            guard file.count - header.length >= count else { throw FlowZipError.unsupported("--image: the PNM file ends early") }
            samples = Array(file[header.length..<header.length + count])
            source = .pnm
        } else {
            throw FlowZipError.unsupported("--image takes a PNG or a binary PNM (P5, P6, P7) file")
        }
    }

    /// The canonical PNM header for the geometry.
    static func pnmHeader(_ g: ImageGeometry) -> [UInt8] {
        let text: String
        switch g.channels {
        case 1: text = "P5\n\(g.width) \(g.height)\n\(g.maxValue)\n"
        case 3: text = "P6\n\(g.width) \(g.height)\n\(g.maxValue)\n"
        default:
            text = "P7\nWIDTH \(g.width)\nHEIGHT \(g.height)\nDEPTH \(g.channels)\nMAXVAL \(g.maxValue)\n"
                + "TUPLTYPE \(g.channels == 2 ? "GRAYSCALE_ALPHA" : "RGB_ALPHA")\nENDHDR\n"
        }
        return Array(text.utf8)
    }

    func serialized() -> [UInt8] {
        var descriptor = ByteWriter()
        descriptor.append(Self.version)
        switch source {
        case .pnm:
            descriptor.append(UInt8(2))
        case .png(let png):
            descriptor.append(UInt8(1))
            descriptor.append([UInt8(png.colourType), UInt8(png.bitDepth), png.interlaced ? 1 : 0])
            descriptor.append(UInt16(png.palette.count / 3))
            descriptor.append(png.palette)
            descriptor.append(UInt16(png.transparency.count))
            descriptor.append(png.transparency)
        }
        var out = ByteWriter()
        out.append(Self.pnmHeader(geometry))
        out.append(samples)
        out.append(descriptor.bytes)
        out.append(UInt16(descriptor.bytes.count))
        out.append(Self.magic)
        return out.bytes
    }

    /// Parses a document the stream header says writes a `kind` file; every field is checked.
    init(parsing document: [UInt8], kind: ImageFileKind) throws {
        func bad(_ what: String) -> FlowZipError { .corrupt("pixel document: \(what)") }
        guard document.count >= 6, Array(document.suffix(4)) == Self.magic else { throw bad("no descriptor") }
        let length = Int(document[document.count - 6]) | Int(document[document.count - 5]) << 8
        guard let header = PNMHeader.parse(document[...]) else { throw bad("no PNM header") }
        let g = header.geometry
        let pixelBytes = g.rowBytes * g.height
        guard header.length + pixelBytes + length + 6 == document.count else { throw bad("lengths do not add up") }
        let start = header.length + pixelBytes
        var reader = ByteReader(Array(document[start..<start + length]), context: "pixel document")
        guard try reader.u8() == Self.version else { throw bad("unknown version") }
        let sourceByte = try reader.u8()
        geometry = g
        samples = Array(document[header.length..<start])
        switch (sourceByte, kind) {
        case (2, .pnm):
            source = .pnm
        case (1, .png):
            let colourType = Int(try reader.u8()), bitDepth = Int(try reader.u8()), interlace = try reader.u8()
            let palette = try reader.bytes(3 * Int(try reader.u16()))
            let transparency = try reader.bytes(Int(try reader.u16()))
            guard PNGPixels.allows(colourType: colourType, bitDepth: bitDepth), interlace <= 1,
                  PNGPixels.channels(colourType: colourType) == g.channels, g.maxValue == (1 << bitDepth) - 1
            else { throw bad("PNG format does not match the pixels") }
            let entries = palette.count / 3
            let paletteFits = colourType == 3 ? (1...min(256, 1 << bitDepth)).contains(entries) : entries == 0
            let transparencyFits = switch colourType {
            case 3: transparency.count <= entries
            case 0: transparency.isEmpty || transparency.count == 2
            case 2: transparency.isEmpty || transparency.count == 6
            default: transparency.isEmpty
            }
            guard paletteFits, transparencyFits else { throw bad("palette or tRNS does not fit") }
            // Samples below 8 bits must fit their depth: the PNG packs them.
            if bitDepth < 8, samples.contains(where: { Int($0) > g.maxValue }) { throw bad("sample above \(g.maxValue)") }
            source = .png(PNGPixels(width: g.width, height: g.height, bitDepth: bitDepth, colourType: colourType,
                                    interlaced: interlace == 1, palette: palette, transparency: transparency, samples: []))
        default:
            throw bad("source \(sourceByte) does not match the stream header")
        }
        guard reader.offset == length else { throw bad("bytes after the descriptor") }
    }

    /// The image file to write: a PNG written by libpng, or the canonical PNM.
    func imageFile() throws -> [UInt8] {
        switch source {
        case .pnm:
            return Self.pnmHeader(geometry) + samples
        case .png(var png):
            png.samples = samples
            return try png.encoded()
        }
    }
}

/// The file type a pixel-mode stream writes when decompressed.
public enum ImageFileKind: String, Sendable, Equatable {
    case png, pnm
}
