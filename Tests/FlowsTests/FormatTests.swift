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
         "010108020c0000000a000000ffffffffffffffffffff33282f1c332bffffffffffffffffffffff2b282728272b2720ff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff3d3934ff"
         + "382effffffffff0000fa2700ef00f70200fb001300001100bfa05ce4abc0a21baa57f20705b9b0c424b417da9b1acb1b"
         + "cecdbd56e560f686c3ff60b2dec001fc7322925a1984c8b90240f06d8ed3a13115d0d681bbcf6f01aedc3758f5ce2b01"),
        (3, 16,
         "010310030c0000000a000000ffffffffffffffffffff6c6c7a566e7471ffffffffffffffffffff696c6668666e736883"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7d7d746c"
         + "796dffffffffff8752ffff656a6f72767bffff87728292ff85ff83754f525e65626b6d717300ffff5e6eff698c938581"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffffffff"
         + "00ffff8f00ffff000000000000ff000000008dff738c8cff4f525e65626b6d717300610079697f7a8964ffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffff00ffffffff00"
         + "00e80300e000040aa0e7000000000000000000000028e9a0e60021f4a0f3000000000000000000000000000000005e8b"
         + "3ba2eea20000f7fff71ab3ffd710d6ff3717300188fa0a00f8f2a08ff3023000489f6605d8ba8ffa17a40500c841befe"
         + "e7ad41ff97b6afffa76e190008bc330098e4f1bcf453dcfdd7c004394ba36dffb7acb1ff67266f099019661fcf8a6610"
         + "e670fd09f5ea19f6b643b436a7d38acaa54456b866da25334efe288bf7a1b19cae628fd4c8cba9f8cc95a0b55d817f63"
         + "5fe2842bde5f60d5e3e3b18eaeed85e713d0a0294ec24dbbef44698d4198ecb6216c4858575ba7f8ccc112b16d370c5e"
         + "ecc3da2a5f9ab8c77c91eb91dfa470086d80aef1d2fea2502e06618d71982d2351aa7a04c264af27eb313ebd284e7c16"
         + "8480a3d47c9beb0e70cc758eece5eba68cf0713b3ee88b349e8529004234fab5cc950200a85f460e47860e92a73f7659"
         + "3770928dc9706a415c1cca08ed6860d7cc771c7b0392df86f515bb124d6f6402032edee0bbbf8c248d9578108d385fbe"
         + "8bd4b5299dab82ad41d01804fda2291f6320f1881616e609749ada476e0722bfa2876f0565439a3aa9c55f2636c37db8"
         + "251df81999024d813dc0b17600c0a4d57d00415d1015e93a3d5ff1fe2a8d9cc0ca0c586d1c504cad4b105e0cfde59ca5"
         + "0c6fa5c0ba0c926d6c21e5b8ad80a2c05aeb19517fb363760cc5"),
        (2, 16,
         "010210060c0000000a00000001010d009122912291229122912291229122912291229122912291220ea2449122912291"
         + "229122912291229122912291229122912291229122ff1500100f000f1700ffffffffffffffffffffff000f11090b0b00"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1a1919"
         + "000017ffff1fffffffffffffffffffff00ff1a1900070d0a0010ffffffffffffffffffffff000e10100c070300ffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff101a001a17ff"
         + "ff1fffffffffffffffffffff0000fb0f00eb00f1071bec000e0d00ff00f7da02f6010ff5002b000f05fe0a00e8281222"
         + "26030000d78bad54297efc3d4c0dcd38dcf32157904c7c54407f3c59e2272c7544736c4d"),
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
