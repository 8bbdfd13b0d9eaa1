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
        #expect(empty.stderr.contains("no usable 8-bit gray or RGB images"))
        try FileManager.default.createDirectory(at: dir.file("bad"), withIntermediateDirectories: false)
        try dir.write("bad/x.ppm", Data("P6\n9 9\n255\nxx".utf8))
        let bad = try dir.run("train", "bad", "-o", "m.fzm")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("warning: skipped bad/x.ppm: truncated pixel data"))
        #expect(bad.stderr.contains("no usable 8-bit"))
        #expect(!dir.exists("m.fzm"))
    }

    /// The output is checked before the images are read: an existing model needs -f, and a folder that
    /// cannot take the model (or the checkpoint) fails at once, not after the training.
    @Test func outputIsCheckedBeforeAnyWork() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("images"), withIntermediateDirectories: false)
        try dir.write("images/a.ppm", photoPPM(width: 40, height: 36, seed: 1))
        let tiny = ["--steps", "3", "--crops", "1", "--crop-size", "32", "--batch", "64", "--hidden", "4"]
        try dir.write("m.fzm", Data("mine".utf8))
        let exists = try FlowZipProcess.run(["train", "images", "-o", "m.fzm"] + tiny, in: dir.url)
        #expect(exists.status == 1)
        #expect(exists.stderr.contains("m.fzm already exists; use -f to overwrite"))
        #expect(!exists.stderr.contains("training images"))
        #expect(try dir.read("m.fzm") == Data("mine".utf8))
        let forced = try FlowZipProcess.run(["train", "images", "-f", "-o", "m.fzm"] + tiny, in: dir.url)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try dir.read("m.fzm").prefix(4) == Data([0x89, 0x46, 0x5A, 0x4D]))

        for (output, extra) in [("missing/m.fzm", [String]()), ("n.fzm", ["--checkpoint", "missing/n.ckpt"]),
                                ("images/a.ppm/m.fzm", [])] {
            let failed = try FlowZipProcess.run(["train", "images", "-o", output] + extra + tiny, in: dir.url)
            #expect(failed.status == 1, "\(output)")
            #expect(failed.stderr.contains("is not a directory"), "\(failed.stderr)")
            #expect(!failed.stderr.contains("training images"), "\(output): the run started")
        }
        let isFolder = try FlowZipProcess.run(["train", "images", "-f", "-o", "images"] + tiny, in: dir.url)
        #expect(isFolder.status == 1 && isFolder.stderr.contains("images is a directory"))
        #expect(!dir.exists("n.fzm"))
    }

    /// A damaged image among good ones is skipped with a warning; the run stops only if none is left.
    @Test func damagedImagesAreSkippedWithAWarning() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("images"), withIntermediateDirectories: false)
        try dir.write("images/a.ppm", photoPPM(width: 40, height: 36, seed: 1))
        try dir.write("images/b.ppm", Data("P6\n9 9\n255\nxx".utf8))
        // -f: 3 steps do not make a model better than the built-in one.
        let train = try dir.run("train", "images", "-f", "-o", "m.fzm", "--steps", "3", "--crops", "1", "--crop-size", "32",
                                "--batch", "64", "--hidden", "4")
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("warning: skipped images/b.ppm: truncated pixel data"))
        #expect(train.stderr.contains("1 training images"))
        #expect(dir.exists("m.fzm"))
    }

    /// An 8-bit PNG trains exactly as the same pixels in a PPM do; a damaged PNG is skipped.
    @Test func readsPNGImages() throws {
        let dir = try Scratch()
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpora/sample")
        for folder in ["png", "ppm"] {
            try FileManager.default.createDirectory(at: dir.file(folder), withIntermediateDirectories: false)
            try dir.write("\(folder)/face.\(folder)", Data(contentsOf: sample.appendingPathComponent("astronaut-face.\(folder)")))
        }
        try dir.write("png/bad.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]))
        let tiny = ["-f", "--steps", "3", "--crops", "1", "--crop-size", "32", "--batch", "64", "--hidden", "4"]
        let png = try FlowZipProcess.run(["train", "png", "-o", "png.fzm"] + tiny, in: dir.url)
        #expect(png.status == 0, "\(png.stderr)")
        #expect(png.stderr.contains("1 training images"))
        #expect(png.stderr.contains("warning: skipped png/bad.png: bad PNG"))
        #expect(try FlowZipProcess.run(["train", "ppm", "-o", "ppm.fzm"] + tiny, in: dir.url).status == 0)
        #expect(try dir.read("png.fzm") == dir.read("ppm.fzm"))
    }

    @Test func trainsATinyModelThatCompressAndDecompressUse() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("images"), withIntermediateDirectories: false)
        try dir.write("images/a.ppm", photoPPM(width: 40, height: 36, seed: 1))
        // -f: the model is used whether or not it beats the built-in one.
        let train = try dir.run("train", "images", "-f", "-o", "m.fzm", "--steps", "30", "--crops", "2", "--crop-size", "32",
                                "--batch", "64", "--hidden", "4", "--seed", "7")
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("step 30/30") && train.stderr.contains("validation"))
        #expect(dir.exists("m.fzm") && dir.exists("m.fzm.ckpt"))
        // Same seed, same model.
        #expect(try dir.run("train", "images", "-f", "-o", "n.fzm", "--steps", "30", "--crops", "2", "--crop-size", "32",
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

    /// The two sizes a comparison with the built-in model gives: with the trained model, with the built-in one.
    func comparedSizes(_ stderr: String) -> (trained: Int, builtIn: Int)? {
        guard let match = stderr.firstMatch(of: /: (\d+) bytes with the trained model, (\d+) with the built-in one \(/) else { return nil }
        return (Int(match.1)!, Int(match.2)!)
    }

    /// A model no smaller than the built-in one on the validation set is an error that gives both sizes, and
    /// is not written, unless -f; a smaller one is written with both sizes said. On the validation latents'
    /// estimate by default, on the real coded size of the --validation images when given.
    @Test func aModelNoBetterThanTheBuiltInOneIsRefusedUnlessForced() throws {
        let dir = try Scratch()
        for folder in ["images", "held-out"] { try FileManager.default.createDirectory(at: dir.file(folder), withIntermediateDirectories: false) }
        try dir.write("images/a.ppm", photoPPM(width: 64, height: 64, seed: 1))
        try dir.write("held-out/b.ppm", photoPPM(width: 48, height: 40, seed: 2))
        let options = ["--crops", "2", "--crop-size", "32", "--batch", "64", "--hidden", "4"]

        let worse = try FlowZipProcess.run(["train", "images", "-o", "w.fzm", "--steps", "3"] + options, in: dir.url)
        #expect(worse.status == 1, "\(worse.stderr)")
        #expect(worse.stderr.contains("the trained model is not better than the built-in one on the validation set: the 743 validation latents, estimated"))
        #expect(worse.stderr.contains("the model is not written (-f writes it anyway"))
        let sizes = try #require(comparedSizes(worse.stderr))
        #expect(sizes.trained >= sizes.builtIn)
        #expect(!dir.exists("w.fzm"))

        let forced = try FlowZipProcess.run(["train", "images", "-f", "-o", "w.fzm", "--steps", "3"] + options, in: dir.url)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("warning: the trained model is not better than the built-in one") && forced.stderr.contains("written anyway"))
        #expect(comparedSizes(forced.stderr)! == sizes)
        #expect(dir.exists("w.fzm"))

        // So regular an image is easy to learn: 100 steps beat the built-in model on its other crops.
        let better = try FlowZipProcess.run(["train", "images", "-o", "b.fzm", "--steps", "100"] + options, in: dir.url)
        #expect(better.status == 0, "\(better.stderr)")
        #expect(better.stderr.contains("better than the built-in model on the validation set: the 743 validation latents, estimated"))
        let betterSizes = try #require(comparedSizes(better.stderr))
        #expect(betterSizes.trained < betterSizes.builtIn)
        #expect(dir.exists("b.fzm"))

        let real = try FlowZipProcess.run(["train", "images", "-o", "r.fzm", "--steps", "3", "--validation", "held-out"] + options,
                                          in: dir.url)
        #expect(real.status == 1, "\(real.stderr)")
        #expect(real.stderr.contains("not better than the built-in one on the validation set: the validation images, coded: "))
        let realSizes = try #require(comparedSizes(real.stderr))
        #expect(realSizes.trained >= realSizes.builtIn)
        #expect(!dir.exists("r.fzm"))
    }

    /// -T sets the training's threads; the model is the same for every count. A wrong count is a usage error.
    @Test func threadsDoNotChangeTheModel() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("images"), withIntermediateDirectories: false)
        try dir.write("images/a.ppm", photoPPM(width: 40, height: 36, seed: 1))
        try dir.write("images/b.ppm", photoPPM(width: 36, height: 40, seed: 3))
        let tiny = ["-f", "--steps", "20", "--crops", "3", "--crop-size", "32", "--batch", "64", "--hidden", "4"]
        for threads in ["1", "2", "3"] {
            let run = try FlowZipProcess.run(["train", "images", "-o", "m\(threads).fzm", "-T", threads] + tiny, in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try dir.read("m1.fzm") == dir.read("m2.fzm"))
        #expect(try dir.read("m1.fzm") == dir.read("m3.fzm"))
        #expect(try FlowZipProcess.run(["train", "images", "-o", "t.fzm", "--threads=2"] + tiny, in: dir.url).status == 0)
        for bad in [["-T", "x"], ["--threads", "257"], ["-T-1"]] {
            let run = try FlowZipProcess.run(["train", "images", "-o", "x.fzm"] + bad + tiny, in: dir.url)
            #expect(run.status == 2, "\(bad): \(run.stderr)")
            #expect(!run.stderr.contains("training images"))
        }
        #expect(!dir.exists("x.fzm"))
    }
}
