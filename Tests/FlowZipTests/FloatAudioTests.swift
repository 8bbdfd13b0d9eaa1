import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

extension WAVFile {
    /// A RIFF/WAVE file of 32-bit float samples given as bit patterns (planar): `WAVE_FORMAT_IEEE_FLOAT`
    /// with a `fact` chunk (as libsndfile writes), or `WAVE_FORMAT_EXTENSIBLE` with the float sub-format.
    static func makeFloat(_ patterns: [[UInt32]], extensible: Bool = false, bits: Int = 32) -> [UInt8] {
        let channels = patterns.count, frames = patterns.first?.count ?? 0
        var data: [UInt8] = []
        for f in 0..<frames {
            for c in 0..<channels { data += le(Int(patterns[c][f]), 4) }
        }
        var fmt = le(extensible ? 0xFFFE : 3, 2) + le(channels, 2) + le(48_000, 4)
            + le(48_000 * channels * bits / 8, 4) + le(channels * bits / 8, 2) + le(bits, 2)
        fmt += extensible ? le(22, 2) + le(bits, 2) + le(0, 4) + le(3, 2) + WAVHeader.subformatTail : le(0, 2)
        let chunks = Array("fmt ".utf8) + le(fmt.count, 4) + fmt + Array("fact".utf8) + le(4, 4) + le(frames, 4)
            + Array("data".utf8) + le(data.count, 4) + data
        return Array("RIFF".utf8) + le(4 + chunks.count, 4) + Array("WAVE".utf8) + chunks
    }
}

/// 32-bit float WAV (and float32 arrays) through `IEEESplit` and the audio flow: detected, coded as
/// flowAudio encoding 3, bit-exact for every pattern, and a damaged payload is an error.
@Suite struct FloatAudioTests {
    /// A 16-bit stereo tone and the same samples as float32(k / 32768).
    static func tone(frames: Int) -> (pcm: [[Int]], floats: [[UInt32]]) {
        let pcm = WAVFile.tone(frames: frames, channels: 2, bits: 16)
        return (pcm, pcm.map { $0.map { (Float($0) / 32768).bitPattern } })
    }

    /// Every bit pattern class: a processed (gain 0.7) stereo wave with specials and random patterns
    /// spliced in. Integer and IEEE arithmetic only (no maths library): a golden stream is built from it.
    static func awkward(frames: Int, seed: UInt64 = 3) -> [[UInt32]] {
        var rng = SplitMix64(seed: seed)
        let pcm = [TestData.wave(frames, amplitude: 9_000, seed: seed), TestData.wave(frames, amplitude: 6_000, seed: seed + 1)]
        let specials: [UInt32] = [0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFBF_FFFF, 0x7F80_0001,
                                  1, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF]
        return pcm.map { channel in
            var out = channel.map { (Float($0) / 32768 * 0.7).bitPattern }
            for i in stride(from: 0, to: frames, by: 11) {
                out[i] = i % 22 == 0 ? specials[(i / 22) % specials.count] : UInt32.random(in: 0...UInt32.max, using: &rng)
            }
            return out
        }
    }

    func roundTrip(_ file: [UInt8], _ options: FlowZip.Options = .init(chunkSize: 1 << 16)) throws -> (StreamInfo, [UInt8]) {
        let packed = try FlowZip.compress(file, options: options)
        #expect(try FlowZip.decompress(packed) == file)
        return (try FlowZip.inspect(packed), packed)
    }

    @Test func floatHeadersAreDetected() throws {
        let floats = Self.tone(frames: 10).floats
        for extensible in [false, true] {
            let header = try #require(WAVHeader.parse(WAVFile.makeFloat(floats, extensible: extensible)[...]))
            #expect(header.geometry == AudioGeometry(channels: 2, sampleBytes: 4, encoding: .float))
            #expect(header.dataLength == 80 && header.length == (extensible ? 80 : 58))
            // Only 32-bit floats: a float tag with another width is not this codec's.
            #expect(WAVHeader.parse(WAVFile.makeFloat(floats, extensible: extensible, bits: 24)[...]) == nil)
            #expect(WAVHeader.parse(WAVFile.makeFloat(floats, extensible: extensible, bits: 64)[...]) == nil)
        }
    }

    @Test func pcmConvertedToFloatCostsWhatThePCMDoes() throws {
        let (pcm, floats) = Self.tone(frames: 20_000)
        for extensible in [false, true] {
            let (info, packed) = try roundTrip(WAVFile.makeFloat(floats, extensible: extensible), .init(chunkSize: 1 << 22))
            let audio = info.chunks.filter { $0.method == .flowAudio }
            #expect(audio.count == 1 && audio[0].sampleBytes == 4)
            let payload = try ContainerWalk(packed).chunks[1].payload
            #expect(packed[payload.lowerBound + 1] == 0xB4, "flowAudio float split, version 3, 4-byte samples")
            let sixteen = try FlowZip.compress(WAVFile.make(pcm, bits: 16), options: .init(chunkSize: 1 << 22))
            #expect(packed.count <= sixteen.count + 64, "float \(packed.count), 16-bit \(sixteen.count)")
        }
    }

    @Test func everyBitPatternRoundTripsThroughTheFlow() throws {
        // 30,000 stereo frames in 64 KiB chunks: four bands, each with its own mapping. `--method flow`:
        // with a random pattern every 22 samples, zstd may win some bands under `auto`.
        let file = WAVFile.makeFloat(Self.awkward(frames: 30_000), extensible: true)
        let (info, _) = try roundTrip(file, .init(method: .flow, chunkSize: 1 << 16))
        #expect(info.chunks.filter { $0.method == .flowAudio }.count == 4)
        // Raw float32 and a mono .npy of the same samples.
        let raw = Array(file[80...])
        _ = try roundTrip(raw, .init(method: .flow, chunkSize: 1 << 16, rawLayout: .init(type: .float32, channels: 2)))
        let npy = NumericArrayTests.npy(descr: "<f4", shape: "(60000,)", data: raw)
        let (npyInfo, _) = try roundTrip(npy, .init(method: .flow, chunkSize: 1 << 16))
        #expect(npyInfo.chunks.contains { $0.method == .flowAudio })
    }

    @Test func aFewGlitchesCostLittle() throws {
        // NaNs, infinities, −0 and samples far louder or quieter than the rest do not spoil a band:
        // they escape, and the flow sees the line through the two integers before each in its place.
        let floats = Self.awkward(frames: 20_000).map { $0.enumerated().map { $0.offset % 11 == 0 ? 0x3F00_0000 : $0.element } }
        var glitched = floats
        let glitches: [UInt32] = [0x7FC0_0000, 0x7F80_0000, 0x8000_0000, 0x7149_F2CA, 0x0000_0003, 0xF149_F2CA, 0x0100_0000]
        for (i, g) in glitches.enumerated() { glitched[i % 2][1_000 + 2_711 * i] = g }
        let options = FlowZip.Options(method: .flow, chunkSize: 1 << 22)
        let clean = try FlowZip.compress(WAVFile.makeFloat(floats), options: options).count
        let (_, packed) = try roundTrip(WAVFile.makeFloat(glitched), options)
        #expect(packed.count < clean + 64 * glitches.count, "clean \(clean), with glitches \(packed.count)")
    }

    @Test func strayValuesOffTheGridCostLittle() throws {
        // Floats from PCM with a few values that are not (an edit, a subnormal from a fade): they
        // escape, and the rest keeps its exact grid.
        let floats = Self.tone(frames: 20_000).floats
        var strays = floats
        for (i, stray) in [UInt32(0x3A83_126F), 0x0000_0003, 0xBDCC_CCCD].enumerated() { strays[i % 2][3_000 + 5_000 * i] = stray }
        let options = FlowZip.Options(method: .flow, chunkSize: 1 << 22)
        let clean = try FlowZip.compress(WAVFile.makeFloat(floats), options: options).count
        let (_, packed) = try roundTrip(WAVFile.makeFloat(strays), options)
        #expect(packed.count < clean + 64 * 3, "clean \(clean), with strays \(packed.count)")
    }

    @Test func processedFloatsBeatZstd() throws {
        let (_, floats) = Self.tone(frames: 20_000)
        let gained = floats.map { $0.map { (Float(bitPattern: $0) * 0.7).bitPattern } }
        let file = WAVFile.makeFloat(gained)
        let flow = try FlowZip.compress(file, options: .init(method: .flow, chunkSize: 1 << 22))
        let zstd = try FlowZip.compress(file, options: .init(method: .zstd, level: 19, chunkSize: 1 << 22))
        #expect(flow.count * 3 < zstd.count * 2, "flow \(flow.count), zstd \(zstd.count)")
    }

    @Test func everyCorruptedFloatPayloadIsRejectedOrExact() throws {
        let file = WAVFile.makeFloat(Self.awkward(frames: 400, seed: 8))
        let packed = try FlowZip.compress(file, options: .init(method: .flow))
        let walk = try ContainerWalk(packed)
        let payload = walk.chunks[1].payload
        #expect(packed[payload.lowerBound + 1] == 0xB4)
        for position in payload {
            for bit in [0, 3, 6] {
                var altered = packed
                altered[position] ^= 1 << bit
                if let out = try? FlowZip.decompress(altered) { #expect(out == file, "bit \(bit) at \(position)") }
            }
        }
        let bytes = Array(packed[payload])
        for cut in 0..<bytes.count {
            #expect(throws: FlowZipError.self, "cut at \(cut)") { try FlowAudioMethod.decompress(bytes.prefix(cut), rawLength: 3_200) }
        }
        #expect(throws: FlowZipError.self) { try FlowAudioMethod.decompress(bytes[...], rawLength: 3_204) }
        // Header fields out of range: bits, a unit above 277, reserved bits, a flow length past the end.
        for (offset, value) in [(2, 0), (2, 33), (4, 0x02), (4, 0x01), (4, 0x40), (7, 0xFF)] {
            var bad = bytes
            bad[offset] = UInt8(value)
            #expect(throws: FlowZipError.self, "byte \(offset) = \(value)") { try FlowAudioMethod.decompress(bad[...], rawLength: 3_200) }
        }
    }

    @Test func randomFloatPayloadsNeverTrap() {
        var rng = SplitMix64(seed: 78)
        for trial in 0..<400 {
            let channels = UInt8(1 + trial % 8), format = UInt8([0x34, 0x74, 0xB4, 0xF4][trial % 4])
            var body = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if trial % 2 == 0, body.count > 1 + 2 * Int(channels) {  // plausible header fields
                body[0] = UInt8.random(in: 1...32, using: &rng)
                for c in 0..<Int(channels) { body[2 + 2 * c] &= 0x81 }
            }
            let rawLength = 4 * Int(channels) * Int.random(in: 1...300, using: &rng)
            do {
                let raw = try FlowAudioMethod.decompress(([channels, format] + body)[...], rawLength: rawLength)
                #expect(raw.count == rawLength)
            } catch {
                #expect(error is FlowZipError)
            }
        }
    }
}
