import Foundation
import Testing
import EntropyCoding
@testable import Flows

/// The flow stream format is fixed: golden streams decode to their images and re-encode to the
/// same bytes (any change in encoded output is a format change, FORMAT.md), and the codec path
/// holds no floating point.
struct FormatTests {
    /// A deterministic little image: a ramp with a hard edge and some texture. With 2 channels
    /// (16-bit) it uses 16 levels only, so value compaction is in the stream too.
    static func goldenImage(channels: Int, bitDepth: Int) throws -> PixelImage {
        let (w, h) = (12, 10)
        let scale: Int32 = bitDepth == 8 ? 1 : channels == 2 ? 4369 : 257
        let planes = (0..<channels).map { c in
            Plane(width: w, height: h, samples: (0..<w * h).map { i in
                let (x, y) = (Int32(i % w), Int32(i / w))
                let v = (x * 9 + y * 5 + Int32(c) * 40 + (x > 6 ? 60 : 0) + (x * y) % 7) % 256
                return (channels == 2 ? v / 16 : v) * scale
            })
        }
        return try PixelImage(width: w, height: h, bitDepth: bitDepth, planes: planes)
    }

    static let golden: [(channels: Int, bitDepth: Int, hex: String)] = [
        (1, 8,
         "010108020c0000000a000000ffffffffffffffffffff33282f1d332bffffffffffffffffffffff2c262628272d2327ff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff3d3934ff"
         + "382effffffffff0000fa2700ef00000000000015ff0010002e3934d229115639df5bda3c83bdb61b4dbb591daa81045f"
         + "f9d5e2fb86e187d4ccfff5e2c8c07fa64b237ec94480d514b2448c216cd5343339d335bf66cf1182b7dc647215ce9aba"),
        (3, 16,
         "010310030c0000000a000000ffffffffffffffffffff6b6c7b576e7471ffffffffffffffffffff6c6869666c6e74667b"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7d7d746c"
         + "796dffffffffff8752ffff656a6f72767bffff87728292ff85ff83744f525e65626b6d717300ffff5e6eff698d908880"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffffffff"
         + "00ffff8f00ffff000000000000ff000000008dff738b8aff4f525e65626b6d717300610079697f7a8865ffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffff00ffffffff00"
         + "00e90200df000409a0e7000000000000000000000026eaa0e70021f4a0f300000000000000000000000000000000668b"
         + "eb138b740400f6ffd7451b00e83d1c0078de95ffe7b65200b8ab9b8fe326c1ff27be8f002886b6fa77890200485df4fe"
         + "27302200b8cd390298940601b8abedfff7113c6dadf21eff47f3bcd82f1972ffe7c13d00280c32094076cb41de6cf24f"
         + "931bcda214570ba3f65eb5a5978ebc0a675b78d89600b8554c85cb8a778687a8f8c39fd448c173f9bc627ab09db8c863"
         + "bf66632bde4376d56342ac8eaeed96e743d0e0291ec482bbafa09b8dd1e9fab681d7467fe7d7e2f84c1035af4dd3c0ec"
         + "8cef1a2b6fd5fb66ac3beb911f4cc207dd2c95f1623a69502e17788d117e26230182b10462b448d3b9d2996af803c595"
         + "e1b395466b5c5d01f0d9e5a7c8248d69ddce148497eb4458cca0cdf8612b5aa5dda3f0ff07761557ab5e22aa8a517074"
         + "f0e1838d89116541ec9ebf087d5558617617f67ca30065c322d00c0222a05d03a35adfe09bbff50b6d1b9f0f1ddda0d4"
         + "727d012aed449bf5383083dbec1bee6cd3c01148464cfb42a4c877c856e41bd862e474d73456cd26f9752745a66934fb"
         + "a4030eed187366a13dc0fe30004068da7d8085f3af2000c46cf3f3fe9a3a82c0ca0c686dfc8806b9cd93590ced29b4a5"
         + "5cc430336c24756d1cccd7b89d9b94c05aeb1951ffb271768cf1"),
        (2, 16,
         "010210060c0000000a00000001010d009122912291229122912291229122912291229122912291220ea2449122912291"
         + "229122912291229122912291229122912291229122ff1500100e000f1700ffffffffffffffffffffff000f11090b0b00"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1a1919"
         + "000017ffff1fffffffffffffffffffff00ff1a1900070d0a0010ffffffffffffffffffffff000e10100c070400ffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff101a001a17ff"
         + "ff1fffffffffffffffffffff0000fb0f00eb00f1071bec000e0d00ff00f7da02f6010ff5002b000f05fe0a003b795149"
         + "a80200003e76984df2715bf4d6388b532de658295fab5c09ed642eac8b154e90785f8bc4"),
    ]

    @Test(arguments: 0..<3)
    func goldenStreamsDecodeAndReencodeIdentically(_ k: Int) throws {
        let g = Self.golden[k]
        let image = try Self.goldenImage(channels: g.channels, bitDepth: g.bitDepth)
        let encoded = hex(try ImageFlowCodec.encode(image))
        #expect(encoded == g.hex)
        if encoded != g.hex { print("golden \(g.channels)x\(g.bitDepth): \(encoded)") }
        #expect(try ImageFlowCodec.decode(fromHex(g.hex), maxSamples: 12 * 10 * g.channels) == image)
    }

    @Test func codecPathHasNoFloatingPoint() throws {
        // Determinism rule: no Float/Double anywhere in the module's sources (comments aside).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Flows").standardized.resolvingSymlinksInPath()
        let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 15)
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                #expect(!code.contains("Double") && !code.contains("Float"), "\(file): \(line)")
            }
        }
    }

    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func fromHex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while text.distance(from: index, to: text.endIndex) >= 2 {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
