import Foundation
import Flows
import Testing
@testable import FlowTraining

@Suite struct TrainingTests {
    @Test func aShortRunLowersTheValidationLoss() throws {
        var trainer = try Trainer(config: tinyConfig(steps: 60), data: tinySet)
        let before = trainer.state.model.meanBits(tinySet, 0..<tinySet.count)
        for _ in 0..<60 { try trainer.step() }
        let after = trainer.state.model.meanBits(tinySet, 0..<tinySet.count)
        #expect(after < before - 0.1, "bits per latent \(before) → \(after)")
    }

    @Test func trainingIsDeterministicForASeed() throws {
        var a = try Trainer(config: tinyConfig(), data: tinySet), b = try Trainer(config: tinyConfig(), data: tinySet)
        for _ in 0..<10 { try a.step(); try b.step() }
        #expect(a.state == b.state)
        var c = try Trainer(config: tinyConfig(seed: 4), data: tinySet)
        for _ in 0..<10 { try c.step() }
        #expect(c.state.model != a.state.model)
    }

    @Test func resumingFromACheckpointContinuesExactly() throws {
        var straight = try Trainer(config: tinyConfig(), data: tinySet)
        for _ in 0..<20 { try straight.step() }
        var first = try Trainer(config: tinyConfig(), data: tinySet)
        for _ in 0..<10 { try first.step() }
        let saved = try Checkpoint.parse(Checkpoint.serialize(first.state))
        #expect(saved == first.state)
        var resumed = Trainer(config: tinyConfig(), data: tinySet, state: saved)
        for _ in 0..<10 { try resumed.step() }
        #expect(resumed.state == straight.state)
    }

    @Test func damagedCheckpointsAreRejected() throws {
        let bytes = Checkpoint.serialize(try Trainer(config: tinyConfig(), data: tinySet).state)
        #expect(throws: TrainingError.self) { try Checkpoint.parse(Array(bytes.dropLast())) }
        #expect(throws: TrainingError.self) { try Checkpoint.parse([0x46, 0x5A] + bytes) }
    }

    @Test func divergenceIsReportedNotTrainedThrough() throws {
        var config = tinyConfig()
        config.learningRate = .nan
        var trainer = try Trainer(config: config, data: tinySet)
        #expect(throws: TrainingError.diverged(step: 1)) {
            for _ in 0..<3 { try trainer.step() }
        }
    }

    @Test func emptyAndUnreadableFoldersGiveClearErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fz-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ImageLoader.load([dir.path]).images.isEmpty)
        try Data("P6\n4 4\n255\nshort".utf8).write(to: dir.appendingPathComponent("bad.ppm"))
        let bad = try ImageLoader.load([dir.path])
        #expect(bad.images.isEmpty && bad.skipped == [dir.appendingPathComponent("bad.ppm").path + ": truncated pixel data"])
        #expect(throws: TrainingError.self) { try ImageLoader.load([dir.appendingPathComponent("missing").path]) }
        #expect(throws: TrainingError.self) { try Trainer(config: tinyConfig(), data: TrainingSet()) }
    }

    /// A damaged file among good ones is skipped with its reason, not the end of the run.
    @Test func damagedFilesAreSkippedWithTheReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fz-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = syntheticImage(width: 12, height: 10)
        try (Data("P6\n12 10\n255\n".utf8) + Data(good.interleavedBytes())).write(to: dir.appendingPathComponent("a.ppm"))
        try Data("P6\n4 4\n255\nshort".utf8).write(to: dir.appendingPathComponent("b.ppm"))
        try Data("P3\n1 1\n255\n0 0 0\n".utf8).write(to: dir.appendingPathComponent("c.pgm"))
        try Data("hello".utf8).write(to: dir.appendingPathComponent("d.png"))
        let (images, skipped) = try ImageLoader.load([dir.path])
        #expect(images.map(\.path) == [dir.appendingPathComponent("a.ppm").path])
        #expect(images.first?.image == good)
        #expect(skipped == [dir.appendingPathComponent("b.ppm").path + ": truncated pixel data",
                            dir.appendingPathComponent("c.pgm").path + ": not a binary PNM (P5/P6)",
                            dir.appendingPathComponent("d.png").path + ": not an image file"])
        // A decoder the caller gives reads its extension; its error is the reason given.
        struct NotPNG: Error, CustomStringConvertible { var description: String { "not a PNG" } }
        let withPNG = try ImageLoader.load([dir.path], decoders: ["png": { _ in throw NotPNG() }])
        #expect(withPNG.images.count == 1)
        #expect(withPNG.skipped.last == dir.appendingPathComponent("d.png").path + ": not a PNG")
    }
}
