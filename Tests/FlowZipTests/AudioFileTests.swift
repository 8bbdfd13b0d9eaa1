import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

/// Builds small WAV files for tests: a decaying tone plus noise, or any samples given.
enum WAVFile {
    static func le(_ v: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// A tone with a little noise, one phase per channel, in the range of `bits`, clipped to it when
    /// `gain` pushes it past full scale.
    static func tone(frames: Int, channels: Int, bits: Int, gain: Int = 1, seed: UInt64 = 1) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        let full = (1 << (bits - 1)) - 1
        return (0..<channels).map { c in
            (0..<frames).map { i in
                let t = Double(i) / 23.0 + Double(c)
                let v = Double(full) * 0.4 * Double(gain) * sin(t) * exp(-Double(i) / 20_000)
                return min(max(Int(v) + Int.random(in: -2...2, using: &rng), -full - 1), full)
            }
        }
    }

    /// A RIFF/WAVE file; 8-bit samples are stored offset-binary as WAV requires.
    /// `subformat`: the EXTENSIBLE sub-format GUID (implies `extensible`; default the standard PCM one),
    /// `validBits` its valid bits per sample (default `bits`).
    static func make(_ samples: [[Int]], bits: Int, extensible: Bool = false, subformat: [UInt8]? = nil,
                     validBits: Int? = nil, dataSizeOverride: Int? = nil,
                     before: [UInt8] = [], after: [UInt8] = []) -> [UInt8] {
        let extensible = extensible || subformat != nil
        let channels = samples.count, frames = samples.first?.count ?? 0, width = bits / 8
        var data: [UInt8] = []
        for f in 0..<frames {
            for c in 0..<channels { data += le(bits == 8 ? samples[c][f] + 128 : samples[c][f], width) }
        }
        var fmt = le(extensible ? 0xFFFE : 1, 2) + le(channels, 2) + le(44_100, 4)
            + le(44_100 * channels * width, 4) + le(channels * width, 2) + le(bits, 2)
        if extensible {
            fmt += le(22, 2) + le(validBits ?? bits, 2) + le(0, 4) + (subformat ?? le(1, 2) + WAVHeader.subformatTail)
        }
        let chunks = Array("fmt ".utf8) + le(fmt.count, 4) + fmt + before
            + Array("data".utf8) + le(dataSizeOverride ?? data.count, 4) + data + (data.count & 1 == 1 ? [0] : []) + after
        return Array("RIFF".utf8) + le(4 + chunks.count, 4) + Array("WAVE".utf8) + chunks
    }

    /// Sub-format GUIDs as stored (the first three fields little-endian).
    static func guid(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var digits = hex.filter(\.isHexDigit).makeIterator()
        while let high = digits.next(), let low = digits.next() { bytes.append(UInt8(String([high, low]), radix: 16)!) }
        return Array(bytes[0..<4].reversed()) + bytes[4..<6].reversed() + bytes[6..<8].reversed() + bytes[8...]
    }

    /// A LIST/INFO chunk, as many editors write.
    static let listChunk: [UInt8] = Array("LIST".utf8) + le(14, 4) + Array("INFOICMT".utf8) + le(2, 4) + [0x68, 0x69]
}

@Suite struct AudioFileTests {
    func roundTrip(_ file: [UInt8], _ options: FlowZip.Options = .init(chunkSize: 1 << 16)) throws -> StreamInfo {
        let packed = try FlowZip.compress(file, options: options)
        #expect(try FlowZip.decompress(packed) == file)
        return try FlowZip.inspect(packed)
    }

    func audioChunks(_ info: StreamInfo) -> [StreamInfo.Chunk] { info.chunks.filter { $0.method == .flowAudio } }

    @Test func headerFieldsAreReadFromTheRightPlaces() throws {
        let samples = WAVFile.tone(frames: 101, channels: 3, bits: 24)
        let plain = try #require(WAVHeader.parse(WAVFile.make(samples, bits: 24)[...]))
        #expect(plain == WAVHeader(length: 44, dataLength: 101 * 9,
                                   geometry: AudioGeometry(channels: 3, sampleBytes: 3, encoding: .signed)))
        // Extensible fmt (40 bytes) and a LIST chunk before the data: the samples start 24 + 14 bytes later.
        let ext = try #require(WAVHeader.parse(WAVFile.make(samples, bits: 24, extensible: true,
                                                            before: WAVFile.listChunk)[...]))
        #expect(ext.length == 44 + 24 + WAVFile.listChunk.count && ext.dataLength == 909)
        let eight = try #require(WAVHeader.parse(WAVFile.make([[1, 2, 3]], bits: 8)[...]))
        #expect(eight.geometry.encoding == .unsigned && eight.dataLength == 3)
        // A declared data size that is not whole frames is cut down to whole frames.
        let cut = try #require(WAVHeader.parse(WAVFile.make(samples, bits: 24, dataSizeOverride: 100)[...]))
        #expect(cut.dataLength == 99)
    }

    @Test(arguments: [8, 16, 24, 32])
    func everyBitDepthRoundTripsThroughTheFlow(_ bits: Int) throws {
        for extensible in [false, true] {
            let file = WAVFile.make(WAVFile.tone(frames: 3_001, channels: 2, bits: bits), bits: bits, extensible: extensible)
            let info = try roundTrip(file)
            #expect(info.modality == .audio)
            #expect(audioChunks(info).count == 1, "\(bits)-bit, extensible \(extensible)")
            #expect(audioChunks(info).first?.sampleBytes == bits / 8)
        }
    }

    @Test(arguments: [1, 2, 3, 6, 8])
    func channelCountsRoundTrip(_ channels: Int) throws {
        let info = try roundTrip(WAVFile.make(WAVFile.tone(frames: 1_500, channels: channels, bits: 16), bits: 16))
        #expect(audioChunks(info).count == 1)
    }

    @Test func oddLengthsTinyFilesAndTrailingChunksRoundTrip() throws {
        for frames in [0, 1, 2, 17, 4_097] {
            let samples = WAVFile.tone(frames: frames, channels: 1, bits: 8)  // odd data sizes get a pad byte
            _ = try roundTrip(WAVFile.make(samples, bits: 8, before: WAVFile.listChunk, after: WAVFile.listChunk))
        }
    }

    @Test func silenceNoiseAndClippingRoundTrip() throws {
        var rng = SplitMix64(seed: 9)
        let silence = [[Int]](repeating: [Int](repeating: 0, count: 10_000), count: 2)
        let noise = (0..<2).map { _ in (0..<5_000).map { _ in Int.random(in: -32768...32767, using: &rng) } }
        let clipped = WAVFile.tone(frames: 5_000, channels: 2, bits: 16, gain: 4)
        let silent = try roundTrip(WAVFile.make(silence, bits: 16))
        #expect(silent.compressedSize < 200)
        _ = try roundTrip(WAVFile.make(noise, bits: 16))
        _ = try roundTrip(WAVFile.make(clipped, bits: 16))
    }

    @Test func longRecordingsAreCutIntoBandsOfWholeFrames() throws {
        let file = WAVFile.make(WAVFile.tone(frames: 40_000, channels: 3, bits: 24), bits: 24, after: WAVFile.listChunk)
        let info = try roundTrip(file)
        let bands = info.chunks.filter { $0.modality == .audio }
        #expect(bands.count == 6)  // 360,000 sample bytes in 64 KiB chunks: 5.5 chunks
        #expect(bands.allSatisfy { $0.rawLength % 9 == 0 })
        #expect(info.chunks.first?.rawLength == 44 && info.chunks.last?.modality == .bytes)
    }

    @Test func flowMethodCodesAudioAndKeepsHeadersGeneric() throws {
        let file = WAVFile.make(WAVFile.tone(frames: 2_000, channels: 2, bits: 16), bits: 16)
        let info = try roundTrip(file, .init(method: .flow))
        #expect(info.chunks.map(\.method).contains(.flowAudio))
        #expect(info.chunks.first?.method != .flowAudio)
    }

    @Test func theFlowBeatsZstdOnATone() throws {
        let file = WAVFile.make(WAVFile.tone(frames: 20_000, channels: 2, bits: 16), bits: 16)
        let flow = try FlowZip.compress(file, options: .init(method: .flow))
        let zstd = try FlowZip.compress(file, options: .init(method: .zstd))
        #expect(flow.count * 2 < zstd.count, "flow \(flow.count), zstd \(zstd.count)")
    }

    @Test func malformedHeadersFallBackToGenericMethods() throws {
        let good = WAVFile.make(WAVFile.tone(frames: 2_000, channels: 2, bits: 16), bits: 16)
        var unknownFormat = good; unknownFormat[20] = 3                        // IEEE float tag
        var nineChannels = good; nineChannels[22] = 9
        var badAlign = good; badAlign[32] = 5
        var badBits = good; badBits[34] = 12
        var longFmt = good; longFmt[16] = 0xF0                                  // fmt size runs past the file
        var noWave = good; noWave[8] = UInt8(ascii: "X")
        let cases: [(String, [UInt8])] = [
            ("truncated header", Array(good.prefix(30))),
            ("unknown format", unknownFormat), ("nine channels", nineChannels),
            ("block align", badAlign), ("12 bits", badBits), ("fmt size", longFmt), ("not WAVE", noWave),
            ("no fmt", Array("RIFF".utf8) + WAVFile.le(100, 4) + Array("WAVEdata".utf8) + WAVFile.le(8, 4) + [UInt8](repeating: 1, count: 8)),
        ]
        for (name, file) in cases {
            #expect(WAVHeader.parse(file[...]) == nil, "\(name)")
            let info = try roundTrip(file)
            #expect(audioChunks(info).isEmpty, "\(name)")
        }
    }

    /// WAVE_FORMAT_EXTENSIBLE is read by its layout: any sub-format GUID with an integer PCM layout goes
    /// through the flow; only a float GUID at 32 bits is float, and known non-PCM codes are bytes.
    @Test func extensibleWithAnySubformatGUIDIsReadByItsLayout() throws {
        let samples = WAVFile.tone(frames: 4_000, channels: 2, bits: 16)
        let standard = WAVFile.make(samples, bits: 16, extensible: true)
        let integerGUIDs = [
            "00000001-0721-11d3-8644-c8c1ca000000",  // Ambisonic B-format PCM
            "00000001-0000-0000-0000-000000000000",  // PCM code, a zeroed tail
            "6dba3190-67bd-11cf-a0f7-0020afd156e4",  // a GUID with no format code in it
        ]
        let standardInfo = try roundTrip(standard)
        for text in integerGUIDs {
            let file = WAVFile.make(samples, bits: 16, subformat: WAVFile.guid(text))
            let header = try #require(WAVHeader.parse(file[...]), "\(text)")
            #expect(header.geometry == AudioGeometry(channels: 2, sampleBytes: 2, encoding: .signed))
            #expect(header.length == 68 && header.dataLength == 16_000)
            let info = try roundTrip(file)
            #expect(audioChunks(info).map(\.codedLength) == audioChunks(standardInfo).map(\.codedLength), "\(text)")
        }
        // 24 valid bits in 32: integers. More valid bits than the container: not a WAV this codec reads.
        let padded = WAVFile.make(WAVFile.tone(frames: 100, channels: 1, bits: 24).map { $0.map { $0 << 8 } }, bits: 32,
                                  subformat: WAVFile.guid(integerGUIDs[2]), validBits: 24)
        #expect(WAVHeader.parse(padded[...])?.geometry.encoding == .signed)
        #expect(WAVHeader.parse(WAVFile.make(samples, bits: 16, extensible: true, validBits: 17)[...]) == nil)
        // The float code, whatever the tail: float32 at 32 bits, never integers at another width.
        let ambisonicFloat = WAVFile.guid("00000003-0721-11d3-8644-c8c1ca000000")
        #expect(WAVHeader.parse(WAVFile.make([[1, 2]], bits: 32, subformat: ambisonicFloat)[...])?.geometry.encoding == .float)
        #expect(WAVHeader.parse(WAVFile.make([[1, 2]], bits: 16, subformat: ambisonicFloat)[...]) == nil)
        // A-law (code 6) under the standard tail: its bytes only look like 8-bit samples.
        let aLaw = WAVFile.le(6, 2) + WAVHeader.subformatTail
        #expect(WAVHeader.parse(WAVFile.make([[1, 2, 3]], bits: 8, subformat: aLaw)[...]) == nil)
    }

    /// A WAV cut short: inside the header, at a frame boundary, inside a frame (so its data chunk claims
    /// more than the file holds), or with an odd data size. Each round-trips, and its whole frames are
    /// samples with only the partial frame after them as bytes.
    @Test func filesCutInsideAFrameKeepTheirWholeFramesAsSamples() throws {
        let whole = WAVFile.make(WAVFile.tone(frames: 5_000, channels: 2, bits: 24), bits: 24)  // 6-byte frames
        for cut in [20, 43, 44, 45, 50, 6_044, 6_045, 6_049, whole.count - 5, whole.count - 1] {
            let info = try roundTrip(Array(whole.prefix(cut)))
            let sampleBytes = max(cut - 44, 0) / 6 * 6
            let audio = info.chunks.filter { $0.modality == .audio }
            #expect(audio.reduce(0) { $0 + $1.rawLength } == sampleBytes, "cut at \(cut)")
            if sampleBytes >= 6_000 { #expect(audio.allSatisfy { $0.method == .flowAudio }, "cut at \(cut)") }
            if cut > 44, (cut - 44) % 6 != 0 {
                #expect(info.chunks.last?.modality == .bytes && info.chunks.last?.rawLength == (cut - 44) % 6)
            }
        }
        // 16-bit mono whose data chunk holds an odd byte count (a partial last sample), then a pad byte.
        let bytes = WAVFile.make(WAVFile.tone(frames: 3_000, channels: 1, bits: 16), bits: 16)
        var odd = Array(bytes.prefix(bytes.count - 1)) + [0]
        odd.replaceSubrange(40..<44, with: WAVFile.le(5_999, 4))
        #expect(audioChunks(try roundTrip(odd)).first?.rawLength == 5_998)
    }

    /// Cutting a few bytes off the end costs a few bytes, not the flow: the audio is not sent to zstd.
    @Test func aFileCutInsideAFrameCompressesAsWellAsTheWholeFile() throws {
        let whole = WAVFile.make(WAVFile.tone(frames: 40_000, channels: 2, bits: 16), bits: 16)
        let wholeSize = try FlowZip.compress(whole).count
        for dropped in [1, 3] {
            let cut = Array(whole.dropLast(dropped))
            let packed = try FlowZip.compress(cut)
            #expect(try FlowZip.decompress(packed) == cut)
            #expect(Double(packed.count) < Double(wholeSize) * 1.01, "whole \(wholeSize), cut by \(dropped): \(packed.count)")
        }
    }

    @Test func lyingDataSizesStillRoundTrip() throws {
        let samples = WAVFile.tone(frames: 3_000, channels: 2, bits: 16)
        for size in [0, 1, 7, 11_999, 12_000, 12_004, 100_000, 0xFFFF_FFFF] {
            let file = WAVFile.make(samples, bits: 16, dataSizeOverride: size)
            _ = try roundTrip(file)
        }
        // A declared size shorter than the data: whole frames through the flow, the rest as bytes.
        let info = try roundTrip(WAVFile.make(samples, bits: 16, dataSizeOverride: 6_002))
        #expect(audioChunks(info).first?.rawLength == 6_000)
    }

    @Test func everyCorruptedFlowAudioPayloadIsRejected() throws {
        let file = WAVFile.make(WAVFile.tone(frames: 600, channels: 2, bits: 16), bits: 16)
        let packed = try FlowZip.compress(file, options: .init(method: .flow))
        let info = try FlowZip.inspect(packed)
        #expect(audioChunks(info).count == 1)
        // The audio chunk is the second, after the 44-byte header chunk.
        let (start, end) = try { let p = try ContainerWalk(packed).chunks[1].payload; return (p.lowerBound, p.upperBound) }()
        for position in start..<end {
            var altered = packed
            altered[position] ^= 0x04
            // Rejected, or (a don't-care field) decoded exactly; never anything else.
            if let out = try? FlowZip.decompress(altered) { #expect(out == file, "flip at \(position)") }
        }
        let payload = Array(packed[start..<end])
        for bad in [[], [2], [0, 2], [9, 2], [2, 0x17], [2, 0x42], Array(payload.prefix(payload.count - 3))] {
            #expect(throws: FlowZipError.self) { try FlowAudioMethod.decompress(bad[...], rawLength: 2_400) }
        }
        #expect(throws: FlowZipError.self) { try FlowAudioMethod.decompress(payload[...], rawLength: 2_402) }
    }

    /// A version 3 payload whose adaptive filter is on in both channels (read from its first fields):
    /// flipped bits across the payload are rejected or decode exactly, and every truncation is rejected.
    @Test func corruptedVersion3PayloadsWithTheFilterOnAreRejected() throws {
        // A random waveform repeating every 100 (90) frames, with a little noise: longer than the
        // fitted predictor's 32 taps, so the 128-tap filter pays.
        var rng = SplitMix64(seed: 5)
        var periodic: [[Int]] = [[], []]
        for (c, period) in [100, 90].enumerated() {
            let shape = (0..<period).map { _ in Int.random(in: -8_000...8_000, using: &rng) }
            for i in 0..<3_000 { periodic[c].append(shape[i % period] + Int.random(in: -4...4, using: &rng)) }
        }
        let file = WAVFile.make(periodic, bits: 16)
        let packed = try FlowZip.compress(file, options: .init(method: .flow))
        let info = try FlowZip.inspect(packed)
        #expect(audioChunks(info).count == 1)
        let walk = try ContainerWalk(packed)
        #expect(walk.chunks.count == 2, "the WAV header's chunk, then the samples'")
        let (start, end) = (walk.chunks[1].payload.lowerBound, walk.chunks[1].payload.upperBound)
        let payload = Array(packed[start..<end])
        #expect(payload[1] >> 6 == 2, "payload version 3")
        var stack = try RansStack(bytes: payload[2...])
        for _ in 0..<2 { _ = stack.popUniform(count: 32) }  // wasted bits
        let fields = (0..<2).map { _ in stack.popUniform(count: 26) }
        #expect(fields.allSatisfy { $0 > 0 }, "filter on in both channels: \(fields)")
        for position in stride(from: start, to: end, by: 17) {
            for bit in [0, 3, 6] {
                var altered = packed
                altered[position] ^= 1 << bit
                if let out = try? FlowZip.decompress(altered) { #expect(out == file, "bit \(bit) at \(position)") }
            }
        }
        for cut in stride(from: start, to: packed.count, by: 29) {
            #expect(throws: FlowZipError.self) { try FlowZip.decompress(Array(packed.prefix(cut))) }
        }
        #expect(throws: FlowZipError.self) {
            try FlowAudioMethod.decompress(payload.prefix(payload.count - 1), rawLength: 12_000)
        }
    }

    @Test func randomPayloadsNeverTrap() {
        var rng = SplitMix64(seed: 77)
        for trial in 0..<300 {
            let channels = UInt8(1 + trial % 8), format = UInt8([1, 2, 3, 4, 0x11, 0x12, 0x24][trial % 7])
            let body = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let frameBytes = Int(channels) * Int(format & 7)
            let rawLength = frameBytes * Int.random(in: 1...300, using: &rng)
            do {
                let raw = try FlowAudioMethod.decompress(([channels, format] + body)[...], rawLength: rawLength)
                #expect(raw.count == rawLength)
            } catch {
                #expect(error is FlowZipError)
            }
        }
    }
}
