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
        #expect(throws: TrainingError.noImages(dir.path)) { try ImageLoader.load([dir.path]) }
        try Data("P6\n4 4\n255\nshort".utf8).write(to: dir.appendingPathComponent("bad.ppm"))
        #expect(throws: TrainingError.unreadable(dir.appendingPathComponent("bad.ppm").path + ": truncated pixel data")) {
            try ImageLoader.load([dir.path])
        }
        #expect(throws: TrainingError.self) { try ImageLoader.load([dir.appendingPathComponent("missing").path]) }
        #expect(throws: TrainingError.self) { try Trainer(config: tinyConfig(), data: TrainingSet()) }
    }
}
