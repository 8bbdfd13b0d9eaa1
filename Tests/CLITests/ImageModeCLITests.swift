import Foundation
import Testing

/// `flowzip compress --image`: the stream says it is pixel mode, `info` names it, and decompressing
/// writes a PNG (pixel identity itself is checked in FlowZipTests/PixelModeTests).
@Suite struct ImageModeCLITests {
    static let png = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FlowZipTests/PixelImages/palette4-interlaced.png")

    @Test func imageModeRoundTripsThroughFiles() throws {
        let scratch = try Scratch()
        try scratch.write("icon.png", try Data(contentsOf: Self.png))
        #expect(try scratch.run("compress", "--image", "-T2", "icon.png").status == 0)
        let info = try scratch.run("info", "icon.png.fz")
        #expect(info.status == 0)
        #expect(String(decoding: info.stdout, as: UTF8.self).contains("pixel mode (--image): decompresses to a PNG file"))
        try FileManager.default.removeItem(at: scratch.file("icon.png"))
        #expect(try scratch.run("-d", "icon.png.fz").status == 0)
        let written = try scratch.read("icon.png")
        #expect(written.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // libpng writes the same pixels the same way: a second pass is a fixed point.
        #expect(try scratch.run("compress", "--image", "-f", "icon.png").status == 0)
        #expect(try scratch.run("-d", "-c", "icon.png.fz").stdout == written)
    }

    @Test func imageModeRefusesOtherFiles() throws {
        let scratch = try Scratch()
        try scratch.write("notes.txt", text)
        let result = try scratch.run("compress", "--image", "notes.txt")
        #expect(result.status == 1)
        #expect(result.stderr.contains("--image takes a PNG or a binary PNM"))
        #expect(!scratch.exists("notes.txt.fz"))
    }
}
