import Foundation
import Testing

/// A photo-like binary PPM: a ramp with texture and noise.
func photoPPM(width: Int, height: Int, seed: UInt64) -> Data {
    var state = seed
    var pixels = [UInt8]()
    for y in 0..<height {
        for x in 0..<width {
            for c in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let v = 40 + 2 * x + y + 25 * c + ((x / 4 + y / 6) & 1) * 30 + Int(state >> 61)
                pixels.append(UInt8(min(v, 255)))
            }
        }
    }
    return Data("P6\n\(width) \(height)\n255\n".utf8) + Data(pixels)
}

@Suite struct TrainCLITests {
    @Test func emptyFolderAndBadImagesExitOneWithAMessage() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("empty"), withIntermediateDirectories: false)
        let empty = try dir.run("train", "empty", "-o", "m.fzm")
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("no 8-bit PNM images"))
        try FileManager.default.createDirectory(at: dir.file("bad"), withIntermediateDirectories: false)
        try dir.write("bad/x.ppm", Data("P6\n9 9\n255\nxx".utf8))
        let bad = try dir.run("train", "bad", "-o", "m.fzm")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("x.ppm: truncated pixel data"))
        #expect(!dir.exists("m.fzm"))
    }

    @Test func trainsATinyModelThatCompressAndDecompressUse() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("images"), withIntermediateDirectories: false)
        try dir.write("images/a.ppm", photoPPM(width: 40, height: 36, seed: 1))
        let train = try dir.run("train", "images", "-o", "m.fzm", "--steps", "30", "--crops", "2", "--crop-size", "32",
                                "--batch", "64", "--hidden", "4", "--seed", "7")
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("step 30/30") && train.stderr.contains("validation"))
        #expect(dir.exists("m.fzm") && dir.exists("m.fzm.ckpt"))
        // Same seed, same model.
        #expect(try dir.run("train", "images", "-o", "n.fzm", "--steps", "30", "--crops", "2", "--crop-size", "32",
                            "--batch", "64", "--hidden", "4", "--seed", "7").status == 0)
        #expect(try dir.read("m.fzm") == dir.read("n.fzm"))

        try dir.write("b.ppm", photoPPM(width: 33, height: 30, seed: 2))
        #expect(try dir.run("--model", "m.fzm", "-o", "b.fz", "b.ppm").status == 0)
        #expect(try dir.run("-d", "--model", "m.fzm", "-c", "b.fz").stdout == dir.read("b.ppm"))
        try dir.write("broken.fzm", Data([0x89, 0x46, 0x5A, 0x4D, 1, 1, 1]))
        let broken = try dir.run("--model", "broken.fzm", "-o", "c.fz", "b.ppm")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.fzm: invalid argument: model file: truncated"))
    }
}
