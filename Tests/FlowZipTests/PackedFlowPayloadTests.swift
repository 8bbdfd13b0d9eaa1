import Foundation
import Testing
@testable import FlowZip
import Flows

/// Small images' flow headers travel deflated (`PackedFlowPayload`); payloads written before, with
/// the header as it is, still decode.
@Suite struct PackedFlowPayloadTests {
    static let golden = TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden")
    static let options = FlowZip.Options(method: .flow, chunkSize: 1 << 22, model: nil)

    @Test func smallImagesGetAPackedHeaderThatRoundTrips() throws {
        for (w, h) in [(1, 1), (5, 3), (16, 16), (33, 17)] {
            let ppm = TestData.ppm(width: w, height: h, seed: UInt64(w))
            let pixels = Array(ppm[PNMHeader.parse(ppm[...])!.length...])
            let geometry = ImageGeometry(width: w, height: h, channels: 3, bitDepth: 8, maxValue: 255)
            let payload = try FlowMethod.compress(pixels[...], geometry: geometry)
            let plain = try ImageFlowCodec.encode(interleaved: pixels[...], width: w, height: h, channels: 3, bitDepth: 8,
                                                  options: .init(writtenSize: PackedFlowPayload.writtenSize))
            #expect(payload.first == PackedFlowPayload.marker, "\(w)×\(h)")
            #expect(payload.count < plain.count)
            #expect(try PackedFlowPayload.unpack(payload[...]) == plain)
            #expect(try FlowMethod.decompress(payload[...], rawLength: pixels.count) == pixels)
            #expect(try FlowZip.decompress(try FlowZip.compress(ppm, options: Self.options)) == ppm)
        }
    }

    /// The coding is chosen on the packed size: never bigger than packing the coding that is smallest
    /// unpacked, and smaller where the interlaced coding's header packs better (here the 5 × 3 image).
    @Test func codingIsChosenOnThePackedSize() throws {
        var smaller = 0
        for (w, h) in [(5, 3), (16, 16), (33, 17), (40, 30)] {
            let ppm = TestData.ppm(width: w, height: h, seed: UInt64(w))
            let pixels = Array(ppm[PNMHeader.parse(ppm[...])!.length...])
            let geometry = ImageGeometry(width: w, height: h, channels: 3, bitDepth: 8, maxValue: 255)
            let payload = try FlowMethod.compress(pixels[...], geometry: geometry)
            let rawChoice = try ImageFlowCodec.encode(interleaved: pixels[...], width: w, height: h, channels: 3, bitDepth: 8)
            let rawChoicePacked = PackedFlowPayload.pack(rawChoice) ?? rawChoice
            #expect(payload.count <= rawChoicePacked.count, "\(w)×\(h)")
            #expect(PackedFlowPayload.writtenSize(rawChoice) == rawChoicePacked.count)
            if payload.count < rawChoicePacked.count { smaller += 1 }
        }
        #expect(smaller >= 1)
    }

    @Test func damagedPackedHeadersAreRejected() throws {
        let ppm = TestData.ppm(width: 12, height: 9)
        let pixels = Array(ppm[PNMHeader.parse(ppm[...])!.length...])
        let geometry = ImageGeometry(width: 12, height: 9, channels: 3, bitDepth: 8, maxValue: 255)
        let payload = try FlowMethod.compress(pixels[...], geometry: geometry)
        for n in 1..<min(payload.count, 40) {
            #expect(throws: FlowZipError.self, "cut to \(n)") { try FlowMethod.decompress(payload.prefix(n), rawLength: pixels.count) }
        }
        for i in 1..<min(payload.count, 60) {
            var damaged = payload
            damaged[i] ^= 0x24
            // Rejected, or (a change the deflate stream does not notice) decoded to other bytes that the
            // container's CRC then rejects: never a crash.
            _ = try? FlowMethod.decompress(damaged[...], rawLength: pixels.count)
        }
        #expect(throws: FlowZipError.self) { try PackedFlowPayload.unpack([16, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F][...]) }
        #expect(throws: FlowZipError.self) { try PackedFlowPayload.unpack([16, 0x80, 0x80, 0x04, 1][...]) }  // H = 2^16
    }

    /// Written before packing existed (flow stream version 1 as it is): decodes forever.
    @Test func unpackedFlowPayloadFromEarlierBuildsDecodes() throws {
        let stream = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("flow-small-unpacked.fz")))
        let original = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("small-photo.ppm")))
        #expect(try FlowZip.decompress(stream) == original)
    }

    /// Packed, with flow stream version 1 inside (written before versions 3 and 4): decodes forever.
    @Test func packedVersion1PayloadDecodes() throws {
        let stream = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("flow-small-packed-v1.fz")))
        let original = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("small-photo.ppm")))
        #expect(try FlowZip.decompress(stream) == original)
    }

    /// Packed, with flow stream version 4 inside (raster order before bias cancellation): decodes forever.
    @Test func packedVersion4PayloadDecodes() throws {
        let stream = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("flow-small-packed-raster-v4.fz")))
        let original = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("small-photo.ppm")))
        #expect(try FlowZip.decompress(stream) == original)
    }

    /// Packed, as the encoder wrote it before the raster colour transform (flow stream flag bit 6):
    /// decodes forever.
    @Test func packedPayloadBeforeRasterColourDecodes() throws {
        let stream = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("flow-small-packed-before-colour.fz")))
        let original = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("small-photo.ppm")))
        #expect(try FlowZip.decompress(stream) == original)
    }

    /// The packed format as today's encoder writes it: decodes and is re-encoded byte for byte.
    @Test func packedFlowGoldenDecodesAndReencodes() throws {
        let original = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("small-photo.ppm")))
        let url = Self.golden.appendingPathComponent("flow-small-packed.fz")
        if ProcessInfo.processInfo.environment["FLOWZIP_WRITE_GOLDEN"] == "1" {
            try Data(try FlowZip.compress(original, options: Self.options)).write(to: url)
        }
        let stream = try [UInt8](Data(contentsOf: url))
        #expect(try FlowZip.inspect(stream).chunks.map(\.method) == [.store, .flow])
        #expect(try FlowZip.decompress(stream) == original)
        // Chunk for chunk (the golden may be in either container version).
        #expect(try ContainerWalk.sameChunks(try FlowZip.compress(original, options: Self.options), stream))
        #expect(stream.count < (try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("flow-small-unpacked.fz")))).count)
    }
}
