import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

/// PNGs whose zlib stream another deflate encoder wrote (zopflipng, libdeflate) come back byte for
/// byte through the png method's token recipe.
@Suite struct PNGTokenDeflateTests {
    /// Written by zopflipng 1.0.3 (`zopfli-*`) and by libdeflate 1.14 at levels 6 and 12 (the image
    /// data of a libpng-style PNG re-deflated by `libdeflate-gzip`, wrapped in a zlib header).
    static let fixtures = ["zopfli-face.png", "zopfli-suit.png", "zopfli-suit40.png", "libdeflate6-face.png", "libdeflate12-face.png"]

    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden/deflaters/\(name)")))
    }

    static func imageData(_ png: [UInt8]) throws -> (stream: [UInt8], filtered: [UInt8]) {
        let parsed = try #require(PNGFile.parse(png[...]))
        let g = parsed.geometry
        let filtered = try #require(Reflate.inflate(parsed.zlibStream, expectedSize: g.height * (g.rowBytes + 1)))
        return (parsed.zlibStream, filtered)
    }

    @Test(arguments: fixtures)
    func pngFromAnotherDeflaterIsRebuiltByteForByte(name: String) throws {
        let png = try Self.fixture(name)
        let (stream, filtered) = try Self.imageData(png)
        // zlib cannot reproduce these streams: without the token recipe they fell back to zstd.
        #expect(Reflate.findParameters(data: filtered, target: stream) == nil)
        let payload = try PNGMethod.compress(png[...])
        #expect(payload[0] == PNGMethod.tokenVersion)
        #expect(try PNGMethod.decompress(payload[...], rawLength: png.count) == png)
        let container = try FlowZip.compress(png)
        // The 40x30 one is too small for the png method to pay (its file goes to zstd).
        if png.count > 10_000 { #expect(try FlowZip.inspect(container).chunks.map(\.method) == [.png]) }
        #expect(try FlowZip.decompress(container) == png)
    }

    /// The corrections cost a small part of the image data: most tokens are what the reference
    /// search predicts.
    @Test(arguments: ["zopfli-face.png", "libdeflate6-face.png", "libdeflate12-face.png"])
    func correctionsAreSmall(name: String) throws {
        let (stream, filtered) = try Self.imageData(try Self.fixture(name))
        let record = try #require(TokenDeflate.make(stream: stream, data: filtered))
        #expect(record.corrections.count * 10 < stream.count, "\(record.corrections.count) of \(stream.count)")
        #expect(record.rebuild(filtered) == stream)
    }

    /// Parsing and re-writing is exact for every block type zlib writes (fixed, dynamic, stored, several
    /// blocks, Huffman-only, RLE), and the token recipe covers zlib's streams too.
    @Test(arguments: [
        DeflateParameters(level: 6, windowBits: 15, memLevel: 8, strategy: 0),
        DeflateParameters(level: 1, windowBits: 9, memLevel: 1, strategy: 0),
        DeflateParameters(level: 9, windowBits: 15, memLevel: 9, strategy: 4),  // fixed codes
        DeflateParameters(level: 0, windowBits: 15, memLevel: 8, strategy: 0),  // stored blocks
        DeflateParameters(level: 9, windowBits: 15, memLevel: 8, strategy: 2),  // Huffman only
        DeflateParameters(level: 4, windowBits: 15, memLevel: 8, strategy: 3),  // RLE
    ])
    func zlibStreamsAreParsedAndRewrittenExactly(parameters: DeflateParameters) throws {
        let data = TestData.repetitive(40_000) + TestData.random(70_000, seed: 8) + TestData.repetitive(30_000)
        let stream = try #require(Reflate.deflate(data, parameters))
        let (parsed, used) = try #require(DeflateStream.parse(stream[2...], expectedSize: data.count))
        #expect(2 + used + 4 == stream.count)
        #expect(parsed.write(data) == Array(stream[2..<(2 + used)]))
        let record = try #require(TokenDeflate.make(stream: stream, data: data))
        #expect(record.rebuild(data) == stream)
        #expect(DeflateStream.parse(stream[2...], expectedSize: data.count - 1) == nil)
    }

    /// A stream from a writer zlib cannot imitate, made here: fixed-code blocks cut at odd places with
    /// hand-picked tokens (a far match the reference search does not find first, a short match where a
    /// longer one exists), padded with set bits after the last block.
    @Test func handMadeStreamIsRebuilt() throws {
        let data = TestData.repetitive(3_000) + TestData.random(500, seed: 2) + TestData.repetitive(2_000)
        var blocks: [DeflateStream.Block] = []
        var tokens: [DeflateStream.Token] = []
        var p = 0
        while p < data.count {
            if p >= 900, p + 5 <= data.count, data[p..<(p + 5)] == data[(p - 900)..<(p - 895)] {
                tokens.append(.init(length: 5, distance: 900))  // far and short on purpose
                p += 5
            } else if p >= 45, p + 4 <= data.count, data[p..<(p + 4)] == data[(p - 45)..<(p - 41)] {
                tokens.append(.init(length: 4, distance: 45))
                p += 4
            } else {
                tokens.append(.literal)
                p += 1
            }
            if tokens.count == 700 || p == data.count {
                var header = BitWriter()
                header.append(p == data.count ? 1 : 0, count: 1)
                header.append(1, count: 2)  // fixed codes
                blocks.append(.init(header: BitString(bytes: header.bytes, count: header.count), tokens: tokens))
                tokens = []
            }
        }
        // Padding bits set, as a sloppy writer might leave them: the count that reaches a byte boundary.
        let deflate = try #require((0..<8).lazy.compactMap { bits in
            DeflateStream(blocks: blocks, trailer: BitString(bytes: bits > 0 ? [UInt8((1 << bits) - 1)] : [], count: bits)).write(data)
        }.first)
        var a = 1, b = 0
        for byte in data { a = (a + Int(byte)) % 65521; b = (b + a) % 65521 }
        let checksum = UInt32(b << 16 | a)
        var stream: [UInt8] = [0x78, 0x01] + deflate
        PNGFile.appendBigEndian32(&stream, checksum)
        #expect(try ZlibMethod.decompress(stream[...], rawLength: data.count) == data)
        let record = try #require(TokenDeflate.make(stream: stream, data: data))
        #expect(record.rebuild(data) == stream)
    }

    /// A version 1 payload cannot name the token recipe, nor version 2 another one.
    @Test func versionAndRecipeMustAgree() throws {
        let png = try Self.fixture("zopfli-suit40.png")
        var payload = try PNGMethod.compress(png[...])
        #expect(payload[0] == 2 && payload[5] == 2)
        payload[0] = 1
        #expect(throws: FlowZipError.self) { try PNGMethod.decompress(payload[...], rawLength: png.count) }
        payload[0] = 2
        payload[5] = 0
        #expect(throws: FlowZipError.self) { try PNGMethod.decompress(payload[...], rawLength: png.count) }
        payload[5] = 2
        payload[0] = 3
        #expect(throws: FlowZipError.self) { try PNGMethod.decompress(payload[...], rawLength: png.count) }
    }

    /// Damage anywhere in a token payload is rejected or rebuilds other bytes (which the container's
    /// checksum then catches); never a crash or a hang. Truncation is always rejected.
    @Test func damagedTokenPayloadIsRejected() throws {
        try PNGMethodTests.expectDamageRejected(try Self.fixture("zopfli-suit40.png"), flips: [0x01, 0x80])
    }

    /// Damaged records straight into the rebuild (past the metadata's zstd frame, which would catch
    /// most damage): random corrections and changed headers or token counts give nil or some stream.
    @Test func damagedRecordsNeverCrash() throws {
        let (stream, filtered) = try Self.imageData(try Self.fixture("zopfli-suit40.png"))
        let record = try #require(TokenDeflate.make(stream: stream, data: filtered))
        var rng = SplitMix64(seed: 11)
        var rejected = 0
        for trial in 0..<200 {
            var damaged = record
            switch trial % 4 {
            case 0: damaged.corrections = (0..<record.corrections.count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1:
                let i = Int(rng.next() % UInt64(record.corrections.count))
                damaged.corrections[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            case 2:
                let b = Int(rng.next() % UInt64(record.blockHeaders.count))
                let i = Int(rng.next() % UInt64(record.blockHeaders[b].bytes.count))
                damaged.blockHeaders[b].bytes[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            default:
                let b = Int(rng.next() % UInt64(record.tokenCounts.count))
                damaged.tokenCounts[b] = Int(rng.next() % UInt64(filtered.count + 2))
            }
            if damaged.rebuild(filtered) == nil { rejected += 1 }
        }
        #expect(rejected > 100)
    }
}

/// A dynamic header that lists too few codes for a token is refused, not indexed past its end.
@Test func tokenBeyondTheHeadersCodesIsRefused() throws {
    var header = BitWriter()
    header.append(1, count: 1)  // BFINAL
    header.append(2, count: 2)  // dynamic
    header.append(0, count: 5)  // HLIT: 257 literal/length codes, none for a match length
    header.append(0, count: 5)  // HDIST: 1 distance code
    header.append(14, count: 4)  // HCLEN: 18 code-length code lengths
    // The code-length code: 8 -> "0", 1 -> "10", 9 -> "11".
    var codeLengthLengths = [UInt8](repeating: 0, count: 19)
    codeLengthLengths[8] = 1; codeLengthLengths[1] = 2; codeLengthLengths[9] = 2
    for i in 0..<18 { header.append(UInt32(codeLengthLengths[DeflateStream.codeLengthOrder[i]]), count: 3) }
    // Literals 0-254 of 8 bits, 255 and end-of-block of 9 (a complete code), one distance code of 1 bit.
    for _ in 0..<255 { _ = header.appendCode(.init(bits: 0, length: 1)) }
    for _ in 0..<2 { _ = header.appendCode(.init(bits: 3, length: 2)) }
    _ = header.appendCode(.init(bits: 2, length: 2))
    let bits = BitString(bytes: header.bytes, count: header.count)
    let codes = try #require(DeflateStream.codes(bits))
    #expect(codes.literal.lengths.count == 257)
    let data: [UInt8] = [1, 2, 3, 1, 2, 3]
    // 332 header bits, 48 of literals, 9 of end-of-block: 3 bits of padding to the byte boundary.
    let padding = BitString(bytes: [0], count: 3)
    #expect(DeflateStream(blocks: [.init(header: bits, tokens: Array(repeating: .literal, count: 6))], trailer: padding).write(data) != nil)
    let match = DeflateStream(blocks: [.init(header: bits, tokens: [.literal, .literal, .literal, .init(length: 3, distance: 3)])],
                              trailer: padding)
    #expect(match.write(data) == nil)
}
