import Foundation
import Testing
import EntropyCoding
import FlowResearch  // Categorical and lanes: distributions and array calls to test the coder with

/// The stream format is frozen by golden bytes: any change to the coder, the tail, the
/// quantisation of a distribution or the lane scheme changes them, and must be a deliberate
/// format change (update `golden` and say so in the commit).
@Suite struct FormatTests {
    /// Pushes one of everything onto a fresh stack.
    static func goldenStack() -> RansStack {
        var stack = RansStack()
        let categorical = Categorical(counts: [7, 0, 3, 1, 20], precision: 16)
        let logistic16 = DiscretizedLogistic(meanQ8: -300, scaleQ8: 700, support: -255...255, precision: 16)
        let logistic24 = DiscretizedLogistic(meanQ8: 1000, scaleQ8: 90, support: -255...255)
        let mixture = LogisticMixture(components: [.init(weight: 3, meanQ8: 0, scaleQ8: 256),
                                                   .init(weight: 1, meanQ8: 2560, scaleQ8: 1024)],
                                      support: -100...100)
        stack.push([0, 2, 3, 4, 4, 4, 0, 2, 4], categorical)
        stack.push(3, categorical)
        stack.push(escaping: -2, logistic16)
        stack.push(escaping: Int32.max, logistic16)
        stack.push(escaping: 5, logistic24)
        stack.push(escaping: 9, mixture)
        stack.pushUniform(123_456_789, count: 1 << 32)
        stack.pushUniform(2, count: 3)
        return stack
    }

    /// Recorded 2026-11-25 from `goldenStack()`.
    static let recorded = "06871903593f00000089a3ed0f7f28de1ffe2b89f0b92f0280a75af25200400e00b22d184400c0ff3389e7ff7fc6acf0189ad98a66"

    @Test func goldenStreamDecodesAndReencodesIdentically() throws {
        let bytes = Self.goldenStack().bytes
        #expect(hex(bytes) == Self.recorded)
        var decoder = try RansStack(bytes: fromHex(Self.recorded))
        #expect(decoder.popUniform(count: 3) == 2)
        #expect(decoder.popUniform(count: 1 << 32) == 123_456_789)
        let mixture = LogisticMixture(components: [.init(weight: 3, meanQ8: 0, scaleQ8: 256),
                                                   .init(weight: 1, meanQ8: 2560, scaleQ8: 1024)],
                                      support: -100...100)
        #expect(decoder.pop(escaping: mixture) == 9)
        #expect(decoder.pop(escaping: DiscretizedLogistic(meanQ8: 1000, scaleQ8: 90, support: -255...255)) == 5)
        let logistic16 = DiscretizedLogistic(meanQ8: -300, scaleQ8: 700, support: -255...255, precision: 16)
        #expect(decoder.pop(escaping: logistic16) == Int32.max)
        #expect(decoder.pop(escaping: logistic16) == -2)
        let categorical = Categorical(counts: [7, 0, 3, 1, 20], precision: 16)
        #expect(decoder.pop(categorical) == 3)
        #expect(decoder.pop(count: 9, categorical) == [0, 2, 3, 4, 4, 4, 0, 2, 4])
        #expect(decoder.isAtInitialState)
    }

    @Test func codingPathHasNoFloatingPoint() throws {
        // Determinism rule: no Float/Double in the module's sources (comments aside).
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/EntropyCoding").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                #expect(!code.contains("Double") && !code.contains("Float") && !code.contains("CGFloat"),
                        "\(file): \(line)")
            }
        }
    }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func fromHex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
