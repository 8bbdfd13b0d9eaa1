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
         "010108020c0000000a000000ffffffffffffffffffff34292f1c332bffffffffffffffffffffff2a262526262b2925ff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff3d3934ff"
         + "382effffffffff0000fa2600ec00f30100f9001c0a000c00f0cf5dd5bea29079e6abc255b3bb30b556d1c916681cf365"
         + "cbd5b8285c7013ae733bd7da09b32bbbcb1f53e8466f0e7df2494f3d97d3fc6a00d3f98c6dd334ba20dc46a15aaf6d1e"),
        (3, 16,
         "010310030c0000000a000000ffffffffffffffffffff6c657a5a6e6f77ffffffffffffffffffff6a655f686676736981"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7d7d746c"
         + "796dffffffffff8752ffff656a6f72767bffff87728292ff85ff85764f525e65626b6d717300ffff5e6eff8f8297877f"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffffffff"
         + "00ffff8f4fffff62666b6f7278ff6e84818288ff7d6f70ff4f525e65626b6d717300616cff697d7e8763ffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffff00ffffffff00"
         + "00e80500dc00fd0fa0dc000010bae80000000000001bf0a0e30018f9a0ef00000000000000000000000000000000638b"
         + "3b69e0e1e700fbfff71289ffe7d8f7ffc7ff5dff27073600b8a5a3ff27e0a07c02afb4ff673d68fc1759f4f95733f5ff"
         + "f771f700684fabff174ae92c5766e8fe67b566632e013850b6dad000584a3fa989269eff4769500038e66d4d5020d032"
         + "ff79f77e9659a4fa467c4050c68d055127a8a78ca48f348e97c95c6ece748514f877fed1ee27ebfba82b2df9ccad19b5"
         + "0d77c263cfa2b12baeefff794012808e5e980408bd83ea291ead84bbcff2868dd1032f2361c5ff3026c6a51f185217ae"
         + "4db61e3f7c5fe02a6f6c2e265c3ecf918fb25a075dbc9ff0a2347d508eeb06008857d7743142630432cb9d56c1090df2"
         + "97eff563b3f4959b184471011e8014970948e46beeec7e7c1727c34969aae74c818bca4c2f2e9203366de4eee5c6503d"
         + "7d12bc2a2114d4ab33293bfb6c8c98747ca4d6e192000a0c730a5cf74c0ec83b1c725ee01b503b0afdb713247617bca5"
         + "3d9e1874c1f6be10797251c262bf310bd32d62148d99bb2f0d52fa0b5dc63710edd232d5a226fe4a8dc00d5477de538b"
         + "7b05c5304cd29f4f318f68f943e061db95ead1f6c26d352c42125d8312cb16fff5fcf00f9d90cefc089ccc15ab47b435"
         + "00c02ca67d00414c18b1fec36cf30ae31bb1a5c0ba0c906d2c17c6b88d358fc05aeba3a51c4904331cae7f16ecbeedb8"
         + "fddea5c05aeb1951efb36d765c34"),
        (2, 16,
         "010210060c0000000a00000001010d009122912291229122912291229122912291229122912291220ea2449122912291"
         + "229122912291229122912291229122912291229122ff00000d10000f1600ffffffffffffffffffffff000f0e0e0d0d0b"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1a1919"
         + "000017ffff1fffffffffffffffffffff00ff1a1a070d16120012ffffffffffffffffffffff000f12000e0b0900ffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff101a001a17ff"
         + "ff1fffffffffffffffffffff0000fc1600e400fd0b36ef00fa1000f400f2f202f100000000000004fafdf600e3fb9369"
         + "185242269ab9fd6d94ad4f7a69e5d92a9fe3c54dba6f2c0d5ea24c2a12f33f55775b79ce"),
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
