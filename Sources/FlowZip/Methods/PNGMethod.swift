internal import CZlib
internal import Flows

/// The `png` chunk method: a whole PNG file whose image data can be rebuilt byte for byte. Its zlib
/// stream is inflated and the rows unfiltered; the pixels go through the flow, or the filtered rows
/// through zstd (whichever is smaller: zstd alone already beats deflate on the same rows); the decoder
/// re-filters, re-deflates with the recorded zlib settings and reassembles the chunks. FORMAT.md
/// specifies the payload.
enum PNGMethod {
    /// Version 1 payloads use recipes 0 and 1; version 2 (the token recipe) is written only when a
    /// payload needs it, so version 1 decoders reject those cleanly and the older payloads stay as they were.
    static let version: UInt8 = 1
    static let tokenVersion: UInt8 = 2

    /// How the zlib stream is rebuilt from the filtered rows.
    enum Recipe: Equatable {
        /// zlib's deflate with these settings.
        case deflate(DeflateParameters)
        /// Stored blocks of these lengths.
        case stored(StoredDeflate)
        /// Another deflate encoder's stream, as corrections to a reference match search.
        case tokens(TokenDeflate)

        /// The recipe that reproduces `stream` from `data`, if any: zlib's settings or stored blocks
        /// when they do (a few bytes), else the token corrections.
        static func find(data: [UInt8], stream: [UInt8]) -> Recipe? {
            if let stored = StoredDeflate.parse(stream, data: data) { return .stored(stored) }
            if let parameters = Reflate.findParameters(data: data, target: stream) { return .deflate(parameters) }
            return TokenDeflate.make(stream: stream, data: data).map { .tokens($0) }
        }

        func rebuild(_ data: [UInt8]) -> [UInt8]? {
            switch self {
            case .deflate(let parameters): return Reflate.deflate(data, parameters)
            case .stored(let stored): return stored.rebuild(data)
            case .tokens(let tokens): return tokens.rebuild(data)
            }
        }
    }
    /// Larger images (a small PNG can hold a huge flat image) are left to the generic methods.
    static let maxPixelBytes = 1 << 28

    enum PixelMethod: UInt8 {
        /// The PNG's own filtered rows (without their filter bytes) through zstd.
        case filteredZstd = 1
        /// The raw pixels through the image flow.
        case flow = 3
    }

    static func compress(_ file: ArraySlice<UInt8>, model: ImagePriorModel? = nil, search: ImageSearch = .fast,
                         threads: Int = 1) throws -> [UInt8] {
        guard let png = PNGFile.parse(file) else { throw FlowZipError.unsupported("not a PNG FlowZip can rebuild") }
        let geometry = png.geometry
        guard geometry.rowBytes * geometry.height <= maxPixelBytes,
              let filtered = Reflate.inflate(png.zlibStream, expectedSize: geometry.height * (geometry.rowBytes + 1)),
              let (pixels, filters) = PNGFilter.unfilter(filtered, geometry: geometry),
              let recipe = Recipe.find(data: filtered, stream: png.zlibStream),
              PNGFile.assemble(prefix: png.prefix, idatLengths: png.idatLengths, zlibStream: png.zlibStream,
                               suffix: png.suffix)?.elementsEqual(file) == true
        else { throw FlowZipError.unsupported("PNG image data cannot be rebuilt exactly") }

        // The flow (its strips on `threads` threads) and, beside it when there are threads to spare,
        // zstd of the filtered rows; the smaller wins either way, so the payload does not depend on it.
        let rows = withoutFilterBytes(filtered, geometry: geometry)
        let zstdRows: @Sendable () -> Result<[UInt8], Error> = { Result { try ZstdMethod.compress(rows[...], level: 19) } }
        let flowPixels = { try? FlowMethod.compress(pixels[...], geometry: geometry, model: model, search: search, threads: threads) }
        let (flow, zstd) = threads > 1 ? ParallelJobs.pair(flowPixels, beside: zstdRows) : (flowPixels(), zstdRows())
        var pixelMethod = PixelMethod.filteredZstd
        var pixelPayload = try zstd.get()
        if let flow, flow.count < pixelPayload.count {
            (pixelMethod, pixelPayload) = (.flow, flow)
        }

        var metadata = ByteWriter()
        for part in [Array(png.prefix), Array(png.suffix)] {
            metadata.append(UInt32(part.count))
            metadata.append(part)
        }
        metadata.append(UInt32(png.idatLengths.count))
        for length in png.idatLengths { metadata.append(UInt32(length)) }
        metadata.append(filters)

        var out = ByteWriter()
        if case .tokens = recipe { out.append(tokenVersion) } else { out.append(version) }
        out.append(UInt32(ZLIB_VERNUM))
        switch recipe {
        case .deflate(let p):
            out.append(UInt8(0))
            for value in [p.level, p.windowBits, p.memLevel, p.strategy] { out.append(UInt8(truncatingIfNeeded: value)) }
        case .stored(let stored):
            out.append(UInt8(1))
            out.append(stored.header)
            out.append([0, 0])
            metadata.append(UInt32(stored.blockLengths.count))
            for length in stored.blockLengths { metadata.append(UInt16(length)) }
        case .tokens(let tokens):
            out.append(UInt8(2))
            out.append(tokens.header)
            out.append([0, 0])
            tokens.serialize(into: &metadata)
        }
        out.append(UInt32(geometry.width))
        out.append(UInt32(geometry.height))
        out.append(UInt8(geometry.channels))
        out.append(UInt8(geometry.bitDepth))
        let packedMetadata = try ZstdMethod.compress(metadata.bytes[...], level: 19)
        out.append(UInt32(metadata.bytes.count))
        out.append(UInt32(packedMetadata.count))
        out.append(packedMetadata)
        out.append(pixelMethod.rawValue)
        out.append(pixelPayload)
        return out.bytes
    }

    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int, models: ModelResolution = .none,
                           threads: Int = 1) throws -> [UInt8] {
        var reader = ByteReader(Array(payload), context: "png payload")
        let payloadVersion = try reader.u8()
        guard payloadVersion == version || payloadVersion == tokenVersion else {
            throw FlowZipError.corrupt("png payload: unknown version \(payloadVersion)")
        }
        _ = try reader.u32()  // zlib version of the encoder: informative
        let recipeKind = try reader.u8()
        let recipeBytes = try reader.bytes(4)
        // Version 2 is exactly the token recipe.
        guard payloadVersion == tokenVersion ? recipeKind == 2 : recipeKind <= 1 else {
            throw FlowZipError.corrupt("png payload: unknown deflate recipe")
        }
        let width = Int(try reader.u32()), height = Int(try reader.u32())
        let channels = Int(try reader.u8()), bitDepth = Int(try reader.u8())
        guard (1...PNMHeader.maxDimension).contains(width), (1...PNMHeader.maxDimension).contains(height),
              [1, 2, 3, 4].contains(channels), bitDepth == 8 || bitDepth == 16,
              width * height * channels * bitDepth / 8 <= maxPixelBytes
        else { throw FlowZipError.corrupt("png payload: bad geometry") }
        let geometry = ImageGeometry(width: width, height: height, channels: channels, bitDepth: bitDepth,
                                     maxValue: (1 << bitDepth) - 1)
        let metadataLength = Int(try reader.u32()), packedLength = Int(try reader.u32())
        // The metadata is part of the original file, so it cannot be longer than it.
        guard metadataLength <= rawLength, packedLength <= payload.count - reader.offset else {
            throw FlowZipError.corrupt("png payload: bad metadata length")
        }
        let start = payload.startIndex + reader.offset
        let metadataBytes = try ZstdMethod.decompress(payload[start..<(start + packedLength)], rawLength: metadataLength)
        reader.skip(packedLength)
        guard let methodByte = Optional(try reader.u8()), let pixelMethod = PixelMethod(rawValue: methodByte) else {
            throw FlowZipError.corrupt("png payload: unknown pixel method")
        }
        let pixelPayload = payload[(payload.startIndex + reader.offset)...]
        let pixelBytes = geometry.rowBytes * height

        var meta = ByteReader(metadataBytes, context: "png metadata")
        let prefix = try meta.bytes(Int(try meta.u32()))
        let suffix = try meta.bytes(Int(try meta.u32()))
        let idatCount = Int(try meta.u32())
        guard idatCount <= metadataBytes.count / 4 else { throw FlowZipError.corrupt("png metadata: bad IDAT count") }
        let idatLengths = try (0..<idatCount).map { _ in Int(try meta.u32()) }
        let filters = try meta.bytes(height)
        guard filters.allSatisfy({ $0 <= 4 }) else { throw FlowZipError.corrupt("png metadata: bad filter type") }
        let recipe: Recipe
        if recipeKind == 0 {
            recipe = .deflate(DeflateParameters(level: Int32(Int8(bitPattern: recipeBytes[0])), windowBits: Int32(recipeBytes[1]),
                                                memLevel: Int32(recipeBytes[2]), strategy: Int32(recipeBytes[3])))
        } else if recipeKind == 2 {
            guard recipeBytes[2] == 0, recipeBytes[3] == 0 else { throw FlowZipError.corrupt("png payload: bad deflate recipe") }
            recipe = .tokens(try TokenDeflate.read(&meta, header: Array(recipeBytes[0..<2]),
                                                   remaining: metadataBytes.count))
        } else {
            let blockCount = Int(try meta.u32())
            guard blockCount <= metadataBytes.count / 2 else { throw FlowZipError.corrupt("png metadata: bad block count") }
            let lengths = try (0..<blockCount).map { _ in Int(try meta.u16()) }
            recipe = .stored(StoredDeflate(header: Array(recipeBytes[0..<2]), blockLengths: lengths))
        }
        // Sizes the rebuilt file must have, checked before the pixels are decoded (the work a hostile
        // payload can cause then follows the chunk's raw length, not the geometry it declares).
        try checkSizes(prefix: prefix.count, suffix: suffix.count, idatLengths: idatLengths, recipe: recipe,
                       filteredBytes: height * (geometry.rowBytes + 1), rawLength: rawLength)
        let rows = switch pixelMethod {
        case .filteredZstd: try ZstdMethod.decompress(pixelPayload, rawLength: pixelBytes)
        case .flow: try FlowMethod.decompress(pixelPayload, rawLength: pixelBytes, models: models, threads: threads)
        }
        let filtered = switch pixelMethod {
        case .filteredZstd: withFilterBytes(rows, filters: filters, geometry: geometry)
        case .flow: PNGFilter.filter(rows, filters: filters, geometry: geometry)
        }
        guard let zlibStream = recipe.rebuild(filtered),
              let file = PNGFile.assemble(prefix: prefix[...], idatLengths: idatLengths, zlibStream: zlibStream,
                                          suffix: suffix[...])
        else { throw FlowZipError.corrupt("png payload: image data cannot be rebuilt") }
        return file
    }

    /// deflate codes at most 258 bytes in 2 bits (a length and a distance code of 1 bit each, with
    /// Huffman codes at least 1 bit long), so a zlib stream of n bytes inflates to at most 1032·n.
    static let maxDeflateRatio = 1032

    /// Checks that the file rebuilt from these parts is `rawLength` bytes (prefix, 12 bytes of chunk
    /// framing per IDAT chunk, IDAT data, suffix) and that the recipe can turn `filteredBytes` into a
    /// zlib stream of the IDAT chunks' total length: exactly, for stored blocks (2-byte header, 5 bytes
    /// per block, Adler-32), within deflate's largest ratio otherwise. Every valid payload passes.
    static func checkSizes(prefix: Int, suffix: Int, idatLengths: [Int], recipe: Recipe, filteredBytes: Int,
                           rawLength: Int) throws {
        let zlibLength = idatLengths.reduce(0, +)
        guard prefix + suffix + 12 * idatLengths.count + zlibLength == rawLength else {
            throw FlowZipError.corrupt("png metadata: the parts do not add up to the chunk's \(rawLength) bytes")
        }
        let fits = switch recipe {
        case .stored(let stored):
            stored.blockLengths.reduce(0, +) == filteredBytes && 6 + 5 * stored.blockLengths.count + filteredBytes == zlibLength
        case .deflate, .tokens: filteredBytes <= maxDeflateRatio * zlibLength
        }
        guard fits else { throw FlowZipError.corrupt("png payload: \(filteredBytes) bytes of rows cannot give \(zlibLength) bytes of image data") }
    }

    /// Filtered data without the filter byte that starts each row.
    static func withoutFilterBytes(_ filtered: [UInt8], geometry: ImageGeometry) -> [UInt8] {
        var rows: [UInt8] = []
        rows.reserveCapacity(geometry.height * geometry.rowBytes)
        for y in 0..<geometry.height {
            let start = y * (geometry.rowBytes + 1) + 1
            rows.append(contentsOf: filtered[start..<(start + geometry.rowBytes)])
        }
        return rows
    }

    /// The inverse of `withoutFilterBytes`.
    static func withFilterBytes(_ rows: [UInt8], filters: [UInt8], geometry: ImageGeometry) -> [UInt8] {
        var filtered: [UInt8] = []
        filtered.reserveCapacity(geometry.height * (geometry.rowBytes + 1))
        for y in 0..<geometry.height {
            filtered.append(filters[y])
            filtered.append(contentsOf: rows[(y * geometry.rowBytes)..<((y + 1) * geometry.rowBytes)])
        }
        return filtered
    }
}
