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

    /// Payload version 1 (written before versions 3 and 4 existed): decode-only (Legacy/), it must
    /// decode forever; the encoder writes version 3 for the same image instead.
    @Test(arguments: 0..<3)
    func versionOneGoldenStreamsDecode(_ k: Int) throws {
        let g = Self.golden[k]
        let image = try Self.goldenImage(channels: g.channels, bitDepth: g.bitDepth)
        let golden = fromHex(g.hex)
        #expect(golden.first == ImageStreamHeader.version)
        #expect(try ImageFlowCodec.decode(golden, maxSamples: 12 * 10 * g.channels) == image)
        #expect(try ImageFlowCodec.encode(image, options: .init(rasterChoice: false)).first == ImageStreamHeader.neighbourVersion)
    }

    /// Golden streams of payload versions 3 (interlaced, neighbour-error context: what the encoder
    /// writes for an interlaced strip) and 4 (raster order before bias cancellation: decode-only,
    /// Legacy/).
    static let goldenV3V4: [(channels: Int, bitDepth: Int, raster: Bool, hex: String)] = [
        (1, 8, false,
         "030108020c0000000a000000ffffffffffffffffffffffff2f2d2e3031ffffffffffffffffffffffffff2a2328272439"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff3d3934ff"
         + "382effffffffff0000fa2700ef00000000000015ff001000ac6931b38b11c908475d8b4d5fca8b3231ef097da6dbed74"
         + "31abde117ac79451774fe1edeae74d98b31215a4493ab13b95370dc8f9d990e307b5510253d1e5c8d2cf69d378d0357d"),
        (3, 16, false,
         "030310030c0000000a000000ffffffffffffffffffffffff62707975725fffffffffffffffffffffffff6c55676d6c7c"
         + "7bffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7d7d746c"
         + "796dffffffffff8752ffff656a6f72767bffff876e8292ff85ff757fffffffffff0067636d006c006d6c6c00718d8a8a"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffffffff"
         + "00ffff8f00ffff000000000000ff000000008dff0087838a4f525e65626b6d717300610071696b80887780ffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffff00ffffffffff00ffffffff00"
         + "00e90200df000409a0e7000000000000000000000026eaa0e70021f4a0f3000000000000000000000000000000005d8b"
         + "eb87d3030000a69dca52e8ffd79cf6dd1c38130068e05c0078402705f446510098b977fbb73b840068fd0100a86bc51f"
         + "a3d90200183bb8ff579a6500d8676d01b8e3431d96a992fe37c50e2212a70bc89e8b13742cef18f4ccab12fc84397c92"
         + "8138e04d41dcb93ebc5a3d7a9169708d1c1f6a459650edd600adb104a9b322d13974d0dac1b5d2a38805ea203e1a5c2b"
         + "7e94e3910f5772025eaf43f1e293a4d34eceeffe675ae274e1ec0bb7a17ce1b067ae9d8a0ff289a2190cc56ebc5a7f91"
         + "7dd4fb660c8b808eae239ea7dd3d5f8fbd7d6e3d2f9b7db1106ade3c70e93eccf029691669566ba4b873c395e1569906"
         + "ab7f5d01c0491957d9c4a4198dcf8903a7eab9e2bd833bd985e5cd8a6bdd82586d69fdff4779f8cc6a50b5b53dace485"
         + "ab93c7a54d31bfba3ce118d55973eff942e5bbbf37e4bf124da8c32f5d3b79f8f17d24c67defbb515c1565becbd47eb4"
         + "db3831bd419e3ab2eb1422956438a6a674df56aae16b61bc8ea4c6e13174087060d2bb60d9362210748bbad4a5822c39"
         + "44e718d93dc0d87de81544e400c0e98ad571c13a7d14f6fe0a09aec0ba0c083eba0a6eadcb34770c7d7deffeca6c9cc0"
         + "ca0c5e6d0c05ebb8fdde8076ac2c81761c6a57769cf1"),
        (2, 16, false,
         "030210060c0000000a00000001010d009122912291229122912291229122912291229122912291220ea2449122912291"
         + "229122912291229122912291229122912291229122ffffff1a120d041412ffffffffffffffffffffffff00120f0a0c0d"
         + "0c00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1a1919"
         + "000017ffff1fffffffffffffffffffff00ff1affff00110a0e0014ffffffffffffffffffffffff0a18110a0602ffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff101a001a17ff"
         + "ff1fffffffffffffffffffff0000fb0f00eb00f1071bec000e0d00ff00f7da02f6010ff5002b000f05fe0a0015547618"
         + "540e0000a3f12e9a11b01b7dfc4e8caadd825be24502aec5c1061c19322d6e72a7402b4a"),
        (1, 8, true,
         "040108020c0000000a0000002fffffffffffffffff24272d312f2b3936333eff00617d7af7e68a4605a562ff0e6cc92d"
         + "142db58d7ae37e4b0fc9aa868ffecaf60c09fa9dd74bc20351d7ecbec06c8e86ef52e931943a9161ab41c4494e66d760"
         + "1629de6cbb62e0ed8fe5e24905"),
        (3, 16, true,
         "040310030c0000000a00000087ffffffffffffff694e6c6c6f6e6c7b7c7878ff00000000000000000000ff008f9d00ff"
         + "95ff008700000000000000000000ff000095879500ff787e00688b5ba7d0963434fe44185affff8789180018462686aa"
         + "b8f4ffc7441800a819aa086bde7f3c231af7d9f73eff7ed4040100f8ff030008aa4387c8a4feffc771f9ff776606b56e"
         + "2d23e56d1b4b3802bfa24f15b78be93a8def69cc7945aacc195ec6bbf53b79b8c910d57852a0772cb817bf2b57d656dc"
         + "a751e83a56907f71a9f3218c2dcee97a7951a4c969321a5a06fa34f1f29204b8d4bb1d7a0f61945e100d6f8c2d7f6c5e"
         + "4fc77df45489d329ccba1c6eaa7c51d1a5dc370eb4b0cb351568725c47d66b3837d96c69cbaf2bce206c49fa714b79e9"
         + "5e62318de0c4a57d49c6460c0dcf28f4794ac6fbb267ee0eb7e6bcbd06ab2faff1cbc1bda2966e2d96cc88fe0dde88ee"
         + "dad1fbcfe8ec880eb4cd881ea7"),
        (2, 16, true,
         "040210060c0000000a00000001010d009122912291229122912291229122912291229122912291220ea2449122912291"
         + "22912291229122912291229122912291229122912216151a1717101311160021ffffffffffffffffff19ff1819171215"
         + "1118140022ffffffffffffffff00e9353ada040000007a85dd4c1aabff515ae09dffa1846440a7b488e4980752595825"
         + "346668b9cf260d356e48bb58a6ab60284318"),
    ]

    @Test(arguments: 0..<6)
    func versionThreeAndFourGoldenStreams(_ k: Int) throws {
        let (channels, bitDepth) = [(1, 8), (3, 16), (2, 16)][k % 3]
        let raster = k >= 3
        let image = try Self.goldenImage(channels: channels, bitDepth: bitDepth)
        let golden = Self.goldenV3V4.first { $0.channels == channels && $0.bitDepth == bitDepth && $0.raster == raster }
        let bytes = fromHex(golden?.hex ?? "")
        #expect(bytes.first == (raster ? 4 : 3))
        #expect(try ImageFlowCodec.decode(bytes, maxSamples: 12 * 10 * channels) == image)
        // Version 3 is still written, byte for byte; version 4 is decode-only (raster strips are version 5).
        guard !raster else { return }
        let encoded = hex(try ImageFlowCodec.encode(image, options: .init(rasterChoice: false)))
        #expect(encoded == golden?.hex)
        if encoded != golden?.hex { print("golden v3 (\(channels), \(bitDepth)): \(encoded)") }
    }

    /// Golden streams of payload version 5 (raster order with bias cancellation and the gradient
    /// sub-predictor), as the encoder writes a raster strip today.
    static let goldenV5: [(channels: Int, bitDepth: Int, hex: String)] = [
        (1, 8,
         "050108020c0000000a0000002fffffffffffffffff32222c272a2934ff3938ff00377afb65c65c00006449f52adcd803"
         + "a77abbfb548b38ab31f0856114b344a6b9c0431d62a529e7f49d33f3786125343a3dc615ef8674fee05f80841948dd29"
         + "3b4f98ffff9576cd28"),
        (3, 16,
         "050310030c0000000a00000087ffffffffffffff697b71796d6a6f6e827779ff0000000000000000000000008a92ffff"
         + "96976c82000000000000000000000000008a8fff8dff797f00578bebeaad1500002692b83fedfff7fbf590c01c02e93c"
         + "d6f8743a7d8ec7a4adec49857c22ed812571103718d1ffc55093be971afcff57d1b2dbaf8fe0e38d90c50b5a30377e9f"
         + "c18d4004cc40053b068e239c1eb66ea647051ea805ae3eec225dbd4317ac9da91bb401104f7bbea4cba41658ae06c9b5"
         + "678258594be728cc3045f30922d14f0a1b866b945b1e5872f3ef1524639fa3f6618fdbe272963c493f06a03101ae5a75"
         + "320269d67880b2f841f1942dd91ecfe7cb4003c22d4c32a2355ae3c7208925428d7ab9d84ef1702a0ec1e2a8414a4017"
         + "30aa98f4f71499c8d794cde490bf26688e5881752342c6299889295fda6c4bf194d95678edb27c80669ab7d91a857902"
         + "b3e9d437d60c6f3ce333cb40e0c74399b79514c8fc5154d881b6f9a872"),
        (2, 16,
         "050210060c0000000a00000001010d009122912291229122912291229122912291229122912291220ea2449122912291"
         + "22912291229122912291229122912291229122912211170311140e111200131cffffffffffffffffff12ff0018071115"
         + "0f0019001affffffffffffffff00b68ad4383ef80b00ceea52a447f0962954284edd161d8780359376c3f9fe91e24e7b"
         + "7dd84d44b541943e5d98"),
    ]

    @Test(arguments: 0..<3)
    func versionFiveGoldenStreams(_ k: Int) throws {
        let (channels, bitDepth) = [(1, 8), (3, 16), (2, 16)][k]
        let image = try Self.goldenImage(channels: channels, bitDepth: bitDepth)
        let stream = try ImageFlowCodec.encodeRaster(image, options: .init(learnedRaster: false))
        #expect(stream.first == 5)
        let encoded = hex(stream)
        let golden = Self.goldenV5.first { $0.channels == channels && $0.bitDepth == bitDepth }
        #expect(encoded == golden?.hex)
        if encoded != golden?.hex { print("golden v5 (\(channels), \(bitDepth)): \(encoded)") }
        #expect(try ImageFlowCodec.decode(fromHex(golden?.hex ?? ""), maxSamples: 12 * 10 * channels) == image)
    }

    /// Golden streams of payload version 5 with flag bit 6: the raster coding after subtract green
    /// (`RasterColourTransform`).
    static let goldenV5Colour: [(channels: Int, bitDepth: Int, hex: String)] = [
        (3, 8,
         "050308430c0000000a0000000145ffffffffffffffff2b272c282a2a312b3538ff000000ff00000000000000ff4645ff"
         + "0024ffffff000000ff0000373a450000ff4546ff2a56ff00440045d55af5dd630000901f6c3c4489d6ca5a1995902142"
         + "ece553bd00d9a6b2c2632aef1908a63d7955b30b20cfec95aac668204ee2daa2065f6c9769d2b4a6b7d36e2063a97b1b"
         + "c58c265af1873eb0cb961f1d115023b26c3e7f80c0ea322dc1388f05b1062ca0431847be076ba6977580abbfffbf86fa"
         + "5b45"),
        (4, 16,
         "050410430c0000000a0000000187ffffffffffffff696c696c686a6a716b7578ff0000000000000000004645ff8787ff"
         + "0064ffffff00000000000071707e0049ff8787ff6a94ff0085ffffffffffffffffff8f5e6e7567767470757387005b8b"
         + "6b84450eed08bd4b99e17c95fbd9cf8a97fd35beb7efce5d06a8dc2619f334a30fd30d4aaf334ca8b8bd80ff2cba0871"
         + "122bb9d5b4c9e60bd7dd3f63560e775ce85f580fec51854253cf574687201fc779c8bb837a019a591ccc4a278e77493f"
         + "8909312cfa9502eec889324cb978858c05a22fdbf60bd4f058bbda2ff3f56f33a9abf8a0d3007dc8b9d20faea8fafd55"
         + "d98261c0a2177b5f7e067deb23a8fccec7a25220c9973a01d90e554bdf10cfb6e8fd63ae2e1341e6a6f56dd45ad9f5fb"
         + "5a106b875002b54390ec9e5858db33df170ff6ffb79bff0f3ca9ea1ce5ae02004822fc3c147d0900f81e173d923bfa2d"
         + "5daf8c28557ef4815cb678d7dab3723b9ec76e8a5e369c3f8e096613eafc5e2574918a57aa0adfffa78a22b3b4e8ba17"
         + "ad8bdb50a20877ed1d3c328fd52a22866fbb3a9845499774c41ccdd6199c348ddd453b79b5fc471999590d141189ee70"
         + "0b4348c029c4cbf76a145ea06dbcde6b027b80a0cb659dec16c271bde155dcb885d6aa782c15ad5ab595f7bf976592c4"
         + "844c9d39044f02896addeb486c8ee723bae073faa1a2f0b9a8b97b214e8df6c849803c2d55a7c903ebb32aee785666e3"
         + "9cf282135945392c400ee4ec47856bfe1a8f499945c9cd2e4c5aae2cd7875f34bef0863fc998289b7d7ef9f77460635b"
         + "08577be2227619faff3ffc2d38a3aa8dbf48"),
    ]

    @Test(arguments: 0..<2)
    func versionFiveColourTransformGoldenStreams(_ k: Int) throws {
        let (channels, bitDepth) = [(3, 8), (4, 16)][k]
        let image = try Self.goldenImage(channels: channels, bitDepth: bitDepth)
        let stream = try ImageFlowCodec.encodeRaster(image, options: .init(learnedRaster: false), rasterColour: .subtractGreen)
        #expect(stream.first == 5 && stream[3] & 64 != 0)
        let encoded = hex(stream)
        let golden = Self.goldenV5Colour.first { $0.channels == channels && $0.bitDepth == bitDepth }
        #expect(encoded == golden?.hex)
        if encoded != golden?.hex { print("golden v5 colour (\(channels), \(bitDepth)): \(encoded)") }
        #expect(try ImageFlowCodec.decode(fromHex(golden?.hex ?? ""), maxSamples: 12 * 10 * channels) == image)
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
