import Testing
@testable import FlowZip

/// A png payload's sizes are checked against the chunk's raw length before its pixels are decoded, so
/// a hostile payload cannot make the decoder work through a geometry no valid payload of that length has.
@Suite struct PNGPayloadSizeTests {
    static let png = PNGMaker.make(width: 40, height: 30, channels: 1)

    @Test func partsThatDoNotAddUpToTheRawLengthAreRejected() throws {
        let payload = try PNGMethod.compress(Self.png[...])
        #expect(try PNGMethod.decompress(payload[...], rawLength: Self.png.count) == Self.png)
        for rawLength in [Self.png.count - 1, Self.png.count + 1, 1 << 20] {
            expectFlowZipError(.corrupt, "png metadata: the parts do not add up to the chunk's \(rawLength) bytes") {
                try PNGMethod.decompress(payload[...], rawLength: rawLength)
            }
        }
    }

    @Test func rowsNoZlibStreamOfTheRecordedLengthCanHoldAreRejected() throws {
        var payload = try PNGMethod.compress(Self.png[...])
        // Width (bytes 10-13) raised to 2^20 pixels: 30 rows of 2^20 + 1 bytes, far beyond 1032× the IDAT data.
        payload.replaceSubrange(10..<14, with: [0, 0, 0x10, 0])
        let zlibLength = PNGFile.parse(Self.png[...])!.zlibStream.count
        expectFlowZipError(.corrupt, "png payload: \(30 * ((1 << 20) + 1)) bytes of rows cannot give \(zlibLength) bytes of image data") {
            try PNGMethod.decompress(payload[...], rawLength: Self.png.count)
        }
    }

    @Test func storedBlocksMustHoldExactlyTheRows() throws {
        let lengths = [400, 400, 30 * 41 - 800]
        let stored = StoredDeflate(header: [0x78, 0x01], blockLengths: lengths)
        let zlibLength = 6 + 5 * lengths.count + 30 * 41
        try PNGMethod.checkSizes(prefix: 33, suffix: 12, idatLengths: [zlibLength], recipe: .stored(stored),
                                 filteredBytes: 30 * 41, rawLength: 33 + 12 + 12 + zlibLength)
        #expect(throws: FlowZipError.self) {
            try PNGMethod.checkSizes(prefix: 33, suffix: 12, idatLengths: [zlibLength], recipe: .stored(stored),
                                     filteredBytes: 30 * 41 + 1, rawLength: 33 + 12 + 12 + zlibLength)
        }
    }
}
