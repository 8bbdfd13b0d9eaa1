import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

/// Builds PNG files the way common encoders do: libpng's chunk layout, zlib with given settings.
enum PNGMaker {
    static func make(width: Int, height: Int, channels: Int, bitDepth: Int = 8, seed: UInt64 = 9,
                     parameters: DeflateParameters = .init(level: 6, windowBits: 15, memLevel: 8, strategy: 1),
                     idatSize: Int = 8192, interlace: UInt8 = 0, pixels: [UInt8]? = nil,
                     deflate: (([UInt8]) -> [UInt8])? = nil) -> [UInt8] {
        let geometry = ImageGeometry(width: width, height: height, channels: channels, bitDepth: bitDepth,
                                     maxValue: (1 << bitDepth) - 1)
        var rng = SplitMix64(seed: seed)
        let pixels = pixels ?? (0..<height).flatMap { y in
            (0..<geometry.rowBytes).map { x in UInt8(truncatingIfNeeded: (x / channels) * 2 + y + Int(rng.next() % 5)) }
        }
        let filters = (0..<height).map { _ in UInt8(rng.next() % 5) }
        let filtered = PNGFilter.filter(pixels, filters: filters, geometry: geometry)
        let stream = deflate?(filtered) ?? Reflate.deflate(filtered, parameters)!
        let colourType: [Int: UInt8] = [1: 0, 2: 4, 3: 2, 4: 6]
        var ihdr: [UInt8] = []
        PNGFile.appendBigEndian32(&ihdr, UInt32(width))
        PNGFile.appendBigEndian32(&ihdr, UInt32(height))
        ihdr += [UInt8(bitDepth), colourType[channels]!, 0, 0, interlace]
        var file = PNGFile.signature
        appendChunk(&file, "IHDR", ihdr)
        appendChunk(&file, "tEXt", Array("Comment\0made by a test".utf8))
        let lengths = stride(from: 0, to: stream.count, by: idatSize).map { min(idatSize, stream.count - $0) }
        file = PNGFile.assemble(prefix: file[...], idatLengths: lengths, zlibStream: stream, suffix: [])!
        appendChunk(&file, "IEND", [])
        return file
    }

    static func appendChunk(_ file: inout [UInt8], _ type: String, _ data: [UInt8]) {
        PNGFile.appendBigEndian32(&file, UInt32(data.count))
        let body = Array(type.utf8) + data
        file += body
        PNGFile.appendBigEndian32(&file, CRC32.checksum(body))
    }
}

@Suite struct PNGMethodTests {
    func methods(_ stream: [UInt8]) throws -> [StreamInfo.Chunk.Method] {
        try FlowZip.inspect(stream).chunks.map(\.method)
    }

    @Test(arguments: [
        DeflateParameters(level: 6, windowBits: 15, memLevel: 8, strategy: 1),  // libpng's default
        DeflateParameters(level: 9, windowBits: 15, memLevel: 9, strategy: 0),
        DeflateParameters(level: 1, windowBits: 12, memLevel: 8, strategy: 0),
        DeflateParameters(level: 4, windowBits: 15, memLevel: 8, strategy: 3),  // RLE
        DeflateParameters(level: 9, windowBits: 15, memLevel: 8, strategy: 2),  // Huffman only
    ])
    func pngFromZlibIsRebuiltByteForByte(parameters: DeflateParameters) throws {
        let png = PNGMaker.make(width: 61, height: 37, channels: 3, parameters: parameters, idatSize: 1000)
        let payload = try PNGMethod.compress(png[...])
        #expect(try PNGMethod.decompress(payload[...], rawLength: png.count) == png)
    }

    /// Stored blocks cut where zlib would not (another writer's level 0) are rebuilt from their lengths.
    @Test func storedDeflateFromAnotherWriterIsRebuilt() throws {
        let png = PNGMaker.make(width: 50, height: 40, channels: 3) { filtered in
            let lengths = stride(from: 0, to: filtered.count, by: 1000).map { min(1000, filtered.count - $0) }
            return StoredDeflate(header: [0x78, 0x01], blockLengths: lengths).rebuild(filtered)!
        }
        #expect(Reflate.findParameters(data: Reflate.inflate(PNGFile.parse(png[...])!.zlibStream, expectedSize: 40 * 151)!,
                                       target: PNGFile.parse(png[...])!.zlibStream) == nil)
        let stream = try FlowZip.compress(png)
        #expect(try methods(stream) == [.png])
        #expect(try FlowZip.decompress(stream) == png)
        #expect(stream.count < png.count / 2)
    }

    @Test(arguments: [(1, 8), (2, 8), (4, 8), (1, 16), (3, 16), (4, 16)])
    func everyChannelCountAndDepthRoundTrips(channels: Int, bitDepth: Int) throws {
        let png = PNGMaker.make(width: 23, height: 9, channels: channels, bitDepth: bitDepth)
        let payload = try PNGMethod.compress(png[...])
        #expect(try PNGMethod.decompress(payload[...], rawLength: png.count) == png)
        #expect(try FlowZip.decompress(try FlowZip.compress(png)) == png)
    }

    /// A photo saved the way libpng saves by default: the png method rebuilds it and beats its deflate.
    @Test func photoPNGIsSmallerThroughThePNGMethod() throws {
        let ppm = try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("corpora/sample/astronaut-face.ppm")))
        let header = try #require(PNMHeader.parse(ppm[...]))
        let g = header.geometry
        let png = PNGMaker.make(width: g.width, height: g.height, channels: g.channels,
                                pixels: Array(ppm[header.length...]))
        let stream = try FlowZip.compress(png + Array("trailing bytes".utf8))
        #expect(try methods(stream) == [.png])
        #expect(try FlowZip.decompress(stream) == png + Array("trailing bytes".utf8))
        #expect(stream.count < png.count)
    }

    @Test func realPNGRoundTrips() throws {
        let png = try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("corpora/sample/astronaut-face.png")))
        #expect(try FlowZip.decompress(try FlowZip.compress(png)) == png)
        let payload = try PNGMethod.compress(png[...])
        #expect(try PNGMethod.decompress(payload[...], rawLength: png.count) == png)
    }

    /// What the png method cannot rebuild goes to the generic methods, and still round-trips exactly.
    @Test func pngsThatCannotBeRebuiltFallBackExactly() throws {
        let good = PNGMaker.make(width: 40, height: 30, channels: 3)
        var badCRC = good
        badCRC[badCRC.count - 20] ^= 1  // inside the last IDAT's data: its CRC no longer matches
        var cases: [[UInt8]] = [
            PNGMaker.make(width: 40, height: 30, channels: 3, interlace: 1),
            Array(good.prefix(good.count - 30)),  // truncated
            badCRC,
        ]
        // A stream made by another deflate: stored blocks split where zlib would not.
        let level0 = PNGMaker.make(width: 40, height: 30, channels: 3,
                                   parameters: .init(level: 0, windowBits: 15, memLevel: 8, strategy: 0))
        var patched = level0
        if let at = patched.indices.dropLast().first(where: { patched[$0] == 0x78 && patched[$0 + 1] == 0x01 }) {
            patched[at + 1] = 0xDA  // claims level 9 ... but FCHECK then fails: zlib rejects the stream
            cases.append(patched)
        }
        for png in cases {
            #expect(throws: FlowZipError.self) { try PNGMethod.compress(png[...]) }
            let stream = try FlowZip.compress(png)
            #expect(try FlowZip.decompress(stream) == png)
        }
    }

    /// The png decoder itself (below the container's checksums) rejects damage or rebuilds the original.
    @Test func damagedPNGPayloadIsRejected() throws {
        try Self.expectDamageRejected(PNGMaker.make(width: 30, height: 20, channels: 1), flips: [0x10])
    }

    /// Every byte of `png`'s payload flipped by each of `flips`, and every cut of it: a cut is an error,
    /// and a flipped byte is an error or rebuilds a file whose checksum differs. (A changed byte may be
    /// one the decoder never uses, the zlib version field, or may rebuild other bytes; the container's
    /// checksum catches the latter.)
    static func expectDamageRejected(_ png: [UInt8], flips: [UInt8]) throws {
        let payload = try PNGMethod.compress(png[...])
        for offset in payload.indices {
            for flip in flips {
                var damaged = payload
                damaged[offset] ^= flip
                do {
                    let raw = try PNGMethod.decompress(damaged[...], rawLength: png.count)
                    if raw != png { #expect(CRC32.checksum(raw) != CRC32.checksum(png)) }
                } catch is FlowZipError {
                }
            }
        }
        for length in 0..<payload.count {
            #expect(throws: FlowZipError.self) { try PNGMethod.decompress(payload.prefix(length), rawLength: png.count) }
        }
    }
}
