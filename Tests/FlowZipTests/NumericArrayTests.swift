import EntropyCoding
import Foundation
import Testing
@testable import FlowZip

/// `.npy` files and headerless numbers (`Options.rawLayout`) through the 1-D flow.
@Suite struct NumericArrayTests {
    /// A version-1 `.npy` header for `descr` and `shape`, padded to 64 bytes as NumPy writes it.
    static func npy(descr: String, shape: String, data: [UInt8], fortran: Bool = false) -> [UInt8] {
        var dict = Array("{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }".utf8)
        while (10 + dict.count + 1) % 64 != 0 { dict.append(UInt8(ascii: " ")) }
        dict.append(UInt8(ascii: "\n"))
        return NPYHeader.magic + [1, 0, UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)] + dict + data
    }

    /// A smooth series with noise as little-endian bytes of `width` bytes, offset for unsigned types.
    static func series(_ count: Int, width: Int, offset: Int = 0, seed: UInt64 = 3) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var v = 0, out: [UInt8] = []
        for i in 0..<count {
            v = (v * 15 + Int.random(in: -400...400, using: &rng)) / 16 + (i % 200 < 100 ? 30 : -30)
            out += WAVFile.le(v + offset, width)
        }
        return out
    }

    static func float32Series(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { i -> [UInt8] in
            let bits = Float(sin(Double(i) / 40) * 3.5 + Double(i % 7) * 1e-3).bitPattern
            return WAVFile.le(Int(bits), 4)
        }
    }

    func roundTrip(_ data: [UInt8], _ options: FlowZip.Options = .init(chunkSize: 1 << 16)) throws -> StreamInfo {
        let packed = try FlowZip.compress(data, options: options)
        #expect(try FlowZip.decompress(packed) == data)
        return try FlowZip.inspect(packed)
    }

    @Test func everySupportedDtypeGoesThroughTheFlow() throws {
        let cases: [(String, String, [UInt8], Int)] = [
            ("<i2", "(5000,)", Self.series(5_000, width: 2), 2),
            ("<u2", "(2500, 2)", Self.series(5_000, width: 2, offset: 32768), 2),
            ("<i4", "(1000, 5)", Self.series(5_000, width: 4), 4),
            ("<f4", "(50, 100)", Self.float32Series(5_000), 4),
        ]
        for (descr, shape, data, width) in cases {
            let info = try roundTrip(Self.npy(descr: descr, shape: shape, data: data))
            #expect(info.modality == .audio, "\(descr)")
            let flow = info.chunks.filter { $0.method == .flowAudio }
            #expect(flow.count == 1 && flow[0].sampleBytes == width, "\(descr)")
            // Floats too, split into integers and leftovers (`IEEESplit`); through the order-preserving
            // map of their bit patterns (flowAudio encoding 2, now decode-only) they did not reach half.
            #expect(flow.first.map { $0.codedLength < data.count / 2 } == true, "\(descr): \(flow.first?.codedLength ?? 0)")
        }
    }

    @Test func unsupportedOrMalformedNpyFallsBackToBytes() throws {
        let data = Self.series(1_000, width: 2)
        let files = [
            Self.npy(descr: ">i2", shape: "(1000,)", data: data),
            Self.npy(descr: "<i8", shape: "(250,)", data: data),
            Self.npy(descr: "<i2", shape: "(1000,)", data: data, fortran: true),
            Self.npy(descr: "<i2", shape: "(1000,", data: data),
            Self.npy(descr: "<i2", shape: "(99999999999999999999,)", data: data),
            Array(Self.npy(descr: "<i2", shape: "(1000,)", data: data).prefix(40)),
        ]
        for file in files {
            #expect(NPYHeader.parse(file[...]) == nil)
            #expect(try roundTrip(file).chunks.allSatisfy { $0.method != .flowAudio })
        }
        // Shapes that claim more than the file holds, up to 2^46 elements: whole frames still go through
        // the flow, and nothing is planned per declared band.
        let huge = try roundTrip(Self.npy(descr: "<i2", shape: "(70368744177664,)", data: data))
        #expect(huge.chunks.contains { $0.method == .flowAudio })
        let info = try roundTrip(Self.npy(descr: "<i2", shape: "(3000,)", data: data))
        #expect(info.chunks.contains { $0.method == .flowAudio })
    }

    @Test func rawLayoutCodesHeaderlessNumbers() throws {
        let data = Self.series(40_001, width: 2)  // 80,002 bytes: two bands of 64 KiB chunks
        let options = FlowZip.Options(chunkSize: 1 << 16, rawLayout: .init(type: .int16, channels: 1))
        let info = try roundTrip(data, options)
        #expect(info.chunks.map(\.method) == [.flowAudio, .flowAudio])
        #expect(info.compressedSize * 2 < UInt64(data.count))
        // A trailing partial frame: the whole frames stay samples, only the 7 bytes after them are bytes.
        let odd = try roundTrip(Array(data.prefix(9_999)), .init(rawLayout: .init(type: .int32, channels: 2)))
        #expect(odd.chunks.map(\.modality) == [.audio, .bytes] && odd.chunks.map(\.rawLength) == [9_992, 7])
        _ = try roundTrip(Self.float32Series(3_000), .init(rawLayout: .init(type: .float32)))
        _ = try roundTrip(Self.series(3_000, width: 2, offset: 32768), .init(rawLayout: .init(type: .uint16, channels: 3)))
    }

    @Test func rawLayoutChannelsAreChecked() {
        #expect(throws: FlowZipError.self) {
            try FlowZip.compress([1, 2, 3, 4], options: .init(rawLayout: .init(type: .int16, channels: 9)))
        }
    }
}
