import ArgumentParser
import FlowTraining
import Flows
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TextFormatting

/// `flowzip train DIR... -o model.fzm`: trains the learned image prior (DESIGN §6).
struct Train: ParsableCommand {
    // Named here rather than derived from the type name (see Compress).
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the learned image prior on a folder of 8-bit PNM images.",
        discussion: """
            Runs the integer flow on random crops (with flips) of the images, trains a small network
            on the (features, latent) pairs with the discretized-logistic code length as the loss
            (Adam, both cores), quantizes it to fixed point, checks the real coded size of the
            validation images, and writes a model file for `flowzip --model`. Same seed, same model.
            """)

    @Argument(help: "Directories of training images (.ppm/.pgm, searched recursively).")
    var directories: [String]

    @Option(name: [.short, .customLong("output")], help: "The model file to write (.fzm).")
    var output: String

    @Option(help: "Optimizer steps.") var steps = 4000
    @Option(help: "Random seed (crops, initialisation, minibatches).") var seed: UInt64 = 1
    @Option(name: .customLong("time-limit"), help: "Stop after this many seconds of training.") var timeLimit: Double?
    @Option(help: "Continue from this checkpoint (same directories, seed and architecture).") var resume: String?
    @Option(help: "Checkpoint file (default: OUTPUT.ckpt).") var checkpoint: String?
    @Option(help: "Directory of validation images (default: other crops of the training images).") var validation: String?
    @Option(help: "Hidden layer widths, comma-separated.") var hidden = "16"
    @Option(help: "Samples per minibatch.") var batch = 1024
    @Option(name: .customLong("lr"), help: "Peak learning rate.") var learningRate: Float = 3e-3
    @Option(help: "Random crops per training image.") var crops = 8
    @Option(name: .customLong("crop-size"), help: "Crop side in pixels.") var cropSize = 256
    @Option(help: "Fraction of each crop's latents kept.") var keep: Float = 0.25
    @Option(help: "Also write the model as Swift source (the built-in default).") var swift: String?
    @Option(help: "Write the training curve: SVG plot if the name ends in .svg, else CSV.") var curve: String?

    func run() throws {
        do { try train() } catch let error as TrainingError {
            Console.error(error.description)
            throw CommandFailure()
        }
    }

    func train() throws {
        var config = TrainingConfig()
        config.steps = steps
        config.seed = seed
        config.batch = batch
        config.learningRate = learningRate
        config.crops = crops
        config.cropSide = cropSize
        config.keep = keep
        let widths = hidden.split(separator: ",").compactMap { Int($0) }
        guard !widths.isEmpty, widths.count == hidden.split(separator: ",").count else {
            throw TrainingError.invalidArgument("--hidden wants widths like 16,16")
        }
        config.hidden = widths

        let (images, skipped) = try ImageLoader.load(directories)
        for s in skipped { Console.error("skipped \(s)") }
        Console.error("\(images.count) training images; extracting latents from \(images.count * crops) crops...")
        let t0 = Date()
        let data = try TrainingSet.build(from: images.map(\.image), crops: crops, side: cropSize, keep: keep, seed: seed)
        let valImages = try validation.map { try ImageLoader.load([$0]).images } ?? []
        let valData = valImages.isEmpty
            ? try TrainingSet.build(from: images.map(\.image), crops: 1, side: cropSize, keep: keep, seed: seed ^ 0x5EED)
            : try TrainingSet.build(from: valImages.map(\.image), crops: 2, side: cropSize, keep: keep, seed: seed ^ 0x5EED)
        Console.error(String(cFormat: "%ld training and %ld validation latents in %.1f s", data.count, valData.count,
                             Date().timeIntervalSince(t0)))

        var trainer = try Trainer(config: config, data: data)
        if let resume {
            guard let bytes = FileManager.default.contents(atPath: resume) else { throw TrainingError.badCheckpoint("cannot read \(resume)") }
            let state = try Checkpoint.parse([UInt8](bytes))
            guard state.model.network.widths == trainer.state.model.network.widths else {
                throw TrainingError.badCheckpoint("\(resume) has widths \(state.model.network.widths), not \(trainer.state.model.network.widths)")
            }
            trainer = Trainer(config: config, data: data, state: state)
            Console.error("resumed at step \(state.step)")
        }
        var run = TrainingRun(trainer: trainer, validation: valData)
        run.checkpointPath = checkpoint ?? output + ".ckpt"
        run.timeLimit = timeLimit
        var curve = TrainingCurve()
        curve.caption = (["flowzip"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let startBits = run.validationBits()
        Console.error(String(cFormat: "step %ld: validation %.4f bits/latent", run.trainer.state.step, startBits))
        curve.points.append((run.trainer.state.step, nil, startBits, 0))
        try run.run { r in
            Console.error(String(cFormat: "step %ld/%ld  train %.4f  validation %.4f bits/latent  %.0f samples/s  %.0f s  ETA %.0f s",
                                 r.step, r.steps, r.trainBits, r.validationBits, r.samplesPerSecond, r.elapsed, r.eta))
            curve.points.append((r.step, r.trainBits, r.validationBits, r.elapsed))
        }
        if let path = self.curve {
            try (path.hasSuffix(".svg") ? curve.svg : curve.csv).write(toFile: path, atomically: true, encoding: .utf8)
        }

        let model = try ModelQuantizer.quantize(run.trainer.state.model)
        let range = 0..<min(valData.count, TrainingRun.validationSampleCap)
        let floatBits = run.trainer.state.model.meanBits(valData, range)
        let fixedBits = ModelQuantizer.meanBits(model, valData, range)
        Console.error(String(cFormat: "quantized: validation %.4f bits/latent (float %.4f, %+.2f %%); %ld multiply-adds per latent",
                             fixedBits, floatBits, 100 * (fixedBits / floatBits - 1), model.network.multiplyAdds))
        let file = ModelFile.serialize(model)
        try Data(file).write(to: URL(fileURLWithPath: output))
        Console.error("wrote \(output): " + String(cFormat: "%ld bytes, model id %016llx", file.count, model.id))
        if let swift {
            let source = ModelSource.swift(model, name: "DefaultImageModelData",
                                           comment: (["flowzip"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
            try source.write(toFile: swift, atomically: true, encoding: .utf8)
        }
        if !valImages.isEmpty { try checkRealSize(model, valImages) }
    }

    /// The real coded size of the validation images with and without the model, beside the
    /// model's estimate on the same images.
    func checkRealSize(_ model: ImagePriorModel, _ images: [(path: String, image: PixelImage)]) throws {
        var hand = 0, learned = 0, samples = 0
        var estimate = 0.0, latents = 0
        for (path, image) in images {
            let a = try ImageFlowCodec.encode(image), b = try ImageFlowCodec.encode(image, model: model)
            guard try ImageFlowCodec.decode(b, maxSamples: image.width * image.height * image.channels, model: model) == image else {
                throw TrainingError.quantization("\(path) does not round-trip with the model")
            }
            let n = image.width * image.height * image.channels
            var set = TrainingSet()
            var rng = SplitMix64(seed: 0)
            set.append(try ImageFlowCodec.priorSamples(of: image), keep: 1, rng: &rng)
            estimate += ModelQuantizer.meanBits(model, set, 0..<set.count) * Double(set.count)
            latents += set.count
            hand += a.count
            learned += b.count
            samples += n
            Console.error("  \(path.split(separator: "/").last ?? ""): "
                          + String(cFormat: "hand-made %.4f, learned %.4f bits/sub-pixel", Double(8 * a.count) / Double(n), Double(8 * b.count) / Double(n)))
        }
        Console.error(String(cFormat: "validation images: hand-made %.4f, learned %.4f bits/sub-pixel (real); model estimate %.4f bits/latent on their %ld subband latents",
                             Double(8 * hand) / Double(samples), Double(8 * learned) / Double(samples), estimate / Double(latents), latents))
    }
}
