import Testing
@testable import BenchHarness

@Suite struct ContentTests {
    @Test func sniffsTheSampleFiles() throws {
        #expect(ContentShape(sniffing: try SampleCorpus.bytes("astronaut-face.ppm"))
                == .image(width: 128, height: 128, channels: 3, bitDepth: 8, isPNG: false))
        #expect(ContentShape(sniffing: try SampleCorpus.bytes("astronaut-suit.pgm"))
                == .image(width: 128, height: 128, channels: 1, bitDepth: 8, isPNG: false))
        #expect(ContentShape(sniffing: try SampleCorpus.bytes("astronaut-face.png"))
                == .image(width: 128, height: 128, channels: 3, bitDepth: 8, isPNG: true))
        #expect(ContentShape(sniffing: try SampleCorpus.bytes("loop_amen-0.25s.wav"))
                == .audio(channels: 2, sampleRate: 44100, bitsPerSample: 16, samples: 22050))
        #expect(ContentShape(sniffing: try SampleCorpus.bytes("alice29.txt")) == .bytes(count: 152_089))
    }

    @Test func malformedHeadersAreJustBytes() {
        let fakes: [[UInt8]] = [Array("P6\n12 x\n255\n".utf8), Array("P6\n4 4\n255\n".utf8) + [1, 2, 3],
                                Array("RIFF....WAVEdata".utf8), [0x89, 0x50, 0x4E, 0x47], []]
        for fake in fakes { #expect(ContentShape(sniffing: fake).modality == .general) }
    }

    @Test func greyEqualsReplicatedRGBAndMissingAlphaEqualsOpaque() throws {
        let grey = try Raster(pnm: Array("P5\n2 1\n255\n".utf8) + [10, 200])
        let rgb = try Raster(pnm: Array("P6\n2 1\n255\n".utf8) + [10, 10, 10, 200, 200, 200])
        let rgba = try Raster(pnm: Array("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n".utf8)
                              + [10, 10, 10, 255, 200, 200, 200, 255])
        #expect(grey.samePixels(as: rgb) && rgb.samePixels(as: rgba) && rgba.samePixels(as: grey))
    }

    @Test func anyChangedSampleOrAlphaIsADifference() throws {
        let rgb = try Raster(pnm: Array("P6\n2 1\n255\n".utf8) + [10, 10, 10, 200, 200, 200])
        let changed = try Raster(pnm: Array("P6\n2 1\n255\n".utf8) + [10, 10, 10, 200, 201, 200])
        let translucent = try Raster(pnm: Array("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nENDHDR\n".utf8)
                                     + [10, 10, 10, 255, 200, 200, 200, 254])
        let sixteenBit = try Raster(pnm: Array("P6\n2 1\n65535\n".utf8) + [0, 10, 0, 10, 0, 10, 0, 200, 0, 200, 0, 200])
        #expect(!rgb.samePixels(as: changed))
        #expect(!rgb.samePixels(as: translucent))
        #expect(!rgb.samePixels(as: sixteenBit))
        #expect(sixteenBit.samples == [10, 10, 10, 200, 200, 200])
    }

    @Test func rejectsBrokenPNM() {
        #expect(throws: Raster.FormatError.self) { try Raster(pnm: Array("P3\n1 1\n255\n1 2 3".utf8)) }
        #expect(throws: Raster.FormatError.self) { try Raster(pnm: Array("P6\n2 2\n255\n".utf8) + [1, 2, 3]) }
        #expect(throws: Raster.FormatError.self) { try Raster(pnm: Array("P7\nWIDTH 1\nENDHDR\n".utf8)) }
        #expect(throws: Raster.FormatError.self) { try Raster(pnm: Array("P5\n0 1\n255\n".utf8)) }
    }

    @Test func readsPCMAndIgnoresExtraChunks() throws {
        let pcm = try PCM(wav: try SampleCorpus.bytes("guit_harmonics-0.5s.wav"))
        #expect(pcm.channels == 1 && pcm.sampleRate == 44100 && pcm.bitsPerSample == 16 && pcm.sampleCount == 22050)
        // The same samples behind an extra LIST chunk compare equal.
        let plain = wav(data: [1, 0, 2, 0])
        var withList = Array(plain[0..<12]) + Array("LIST".utf8) + [3, 0, 0, 0, 9, 9, 9, 0]
        withList += plain[12...]
        #expect(try PCM(wav: plain) == PCM(wav: withList))
        #expect(try PCM(wav: plain) != PCM(wav: wav(data: [1, 0, 3, 0])))
    }

    @Test func rejectsBrokenWAV() {
        #expect(throws: PCM.FormatError.self) { try PCM(wav: Array("RIFX\0\0\0\0WAVE".utf8)) }
        var truncated = wav(data: [1, 0, 2, 0])
        truncated.removeLast(2)
        #expect(throws: PCM.FormatError.self) { try PCM(wav: truncated) }
        var float = wav(data: [0, 0, 0, 0])
        float[20] = 3  // IEEE float
        #expect(throws: PCM.FormatError.self) { try PCM(wav: float) }
    }

    /// A minimal 16-bit mono 8 kHz WAV around `data`.
    private func wav(data: [UInt8]) -> [UInt8] {
        func u32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let fmt: [UInt8] = [1, 0, 1, 0] + u32(8000) + u32(16000) + [2, 0, 16, 0]
        return Array("RIFF".utf8) + u32(36 + data.count) + Array("WAVEfmt ".utf8) + u32(16) + fmt
            + Array("data".utf8) + u32(data.count) + data
    }
}
