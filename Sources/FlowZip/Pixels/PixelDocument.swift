/// What a pixel-mode stream (`flowzip compress --image`) holds as its original: not the image file's
/// bytes but its pixels, after a short binary header that says how to write them back (FORMAT.md,
/// *Pixel mode*; integers little-endian):
///
/// ```
/// "FZPX"       magic
/// 1            version 1
/// 1            source: 1 PNG, 2 PNM
/// 4, 4         width, height (1 ... 2^20)
/// 1            channels (1 ... 4)
/// 2            maxval (1 ... 65535): samples take 1 byte below 256, else 2 (big-endian)
/// for a PNG    colour type, bit depth, interlace (0/1), u16 palette entries P, 3P palette bytes,
///              u16 tRNS length T, T tRNS bytes
/// samples      rows, channels interleaved (PNG palette images: the indices)
/// ```
/// The container cuts it as the header (bytes) and bands of samples (through the flow, in parallel
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

    func serialized() -> [UInt8] {
        var out = ByteWriter()
        out.append(Self.magic)
        out.append(Self.version)
        switch source {
        case .pnm: out.append(UInt8(2))
        case .png: out.append(UInt8(1))
        }
        out.append(UInt32(geometry.width))
        out.append(UInt32(geometry.height))
        out.append(UInt8(geometry.channels))
        out.append(UInt16(geometry.maxValue))
        if case .png(let png) = source {
            out.append([UInt8(png.colourType), UInt8(png.bitDepth), png.interlaced ? 1 : 0])
            out.append(UInt16(png.palette.count / 3))
            out.append(png.palette)
            out.append(UInt16(png.transparency.count))
            out.append(png.transparency)
        }
        out.append(samples)
        return out.bytes
    }

    /// The header's length and the samples' geometry, if `prefix` starts with a document header whose
    /// fixed fields are in range (what the chunk planner needs).
    static func parseHeader(_ prefix: ArraySlice<UInt8>) -> (length: Int, geometry: ImageGeometry)? {
        guard let (length, geometry, _) = try? header(prefix) else { return nil }
        return (length, geometry)
    }

    /// Parses and checks the header: its length, the geometry, the source and the PNG fields.
    private static func header(_ bytes: ArraySlice<UInt8>) throws -> (Int, ImageGeometry, Source) {
        func bad(_ what: String) -> FlowZipError { .corrupt("pixel document: \(what)") }
        guard bytes.starts(with: magic) else { throw bad("no FZPX header") }
        var reader = ByteReader(Array(bytes.prefix(2048)), context: "pixel document")  // headers are at most 1049 bytes
        reader.skip(4)
        guard try reader.u8() == version else { throw bad("unknown version") }
        let sourceByte = try reader.u8()
        let width = Int(try reader.u32()), height = Int(try reader.u32())
        let channels = Int(try reader.u8()), maxValue = Int(try reader.u16())
        guard (1...PNMHeader.maxDimension).contains(width), (1...PNMHeader.maxDimension).contains(height),
              (1...4).contains(channels), maxValue >= 1 else { throw bad("geometry") }
        let g = ImageGeometry(width: width, height: height, channels: channels, bitDepth: maxValue < 256 ? 8 : 16,
                              maxValue: maxValue)
        guard g.rowBytes * height <= maxPixelBytes else { throw bad("too many pixels") }
        switch sourceByte {
        case 2:
            return (reader.offset, g, .pnm)
        case 1:
            let colourType = Int(try reader.u8()), bitDepth = Int(try reader.u8()), interlace = try reader.u8()
            let palette = try reader.bytes(3 * Int(try reader.u16()))
            let transparency = try reader.bytes(Int(try reader.u16()))
            guard PNGPixels.allows(colourType: colourType, bitDepth: bitDepth), interlace <= 1,
                  PNGPixels.channels(colourType: colourType) == channels, maxValue == (1 << bitDepth) - 1
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
            let png = PNGPixels(width: width, height: height, bitDepth: bitDepth, colourType: colourType,
                                interlaced: interlace == 1, palette: palette, transparency: transparency, samples: [])
            return (reader.offset, g, .png(png))
        default:
            throw bad("unknown source \(sourceByte)")
        }
    }

    /// Parses a document the stream header says writes a `kind` file; every field is checked.
    init(parsing document: [UInt8], kind: ImageFileKind) throws {
        let (length, g, source) = try Self.header(document[...])
        guard document.count - length == g.rowBytes * g.height else {
            throw FlowZipError.corrupt("pixel document: \(document.count - length) sample bytes for \(g.width)×\(g.height)×\(g.channels)")
        }
        geometry = g
        samples = Array(document[length...])
        self.source = source
        guard self.kind == kind else { throw FlowZipError.corrupt("pixel document: its source does not match the stream header") }
        // Samples below 8 bits must fit their depth: the PNG packs them.
        if case .png(let png) = source, png.bitDepth < 8, samples.contains(where: { Int($0) > g.maxValue }) {
            throw FlowZipError.corrupt("pixel document: sample above \(g.maxValue)")
        }
    }

    /// The image file to write: a PNG written by libpng, or a PNM with a canonical header.
    func imageFile() throws -> [UInt8] {
        switch source {
        case .pnm:
            return Self.pnmHeader(geometry) + samples
        case .png(var png):
            png.samples = samples
            return try png.encoded()
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
}

/// The file type a pixel-mode stream writes when decompressed.
public enum ImageFileKind: String, Sendable, Equatable {
    /// A PNG file, written by libpng.
    case png
    /// A binary PNM file (P5, P6 or P7) with a canonical header.
    case pnm
}
