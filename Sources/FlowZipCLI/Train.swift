import CommandLineOptions
import FlowTraining
import Flows
import TextFormatting
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flowzip train DIR... -o model.fzm`: trains the learned image prior (docs/DESIGN.md §6).
struct Train {
    static let options = OptionTable([
        .value("output", short: "o", "FILE", help: "The model file to write (.fzm). Required."),
        .flag("force", short: "f", help: "Overwrite an existing model file."),
        .value("steps", "N", help: "Optimizer steps (default 4000)."),
        .value("seed", "N", help: "Random seed: crops, initialisation, minibatches (default 1)."),
        .value("time-limit", "S", help: "Stop after S seconds of training."),
        .value("resume", "FILE", help: "Continue from this checkpoint (same directories, seed and architecture)."),
        .value("checkpoint", "FILE", help: "Checkpoint file (default: OUTPUT.ckpt)."),
        .value("validation", "DIR", help: "Directory of validation images (default: other crops of the training images)."),
        .value("hidden", "W,W", help: "Hidden layer widths, comma-separated (default 16)."),
        .value("batch", "N", help: "Samples per minibatch (default 1024)."),
        .value("lr", "X", help: "Peak learning rate (default 0.003)."),
        .value("crops", "N", help: "Random crops per training image (default 8)."),
        .value("crop-size", "N", help: "Crop side in pixels (default 256)."),
        .value("keep", "X", help: "Fraction of each crop's latents kept (default 0.25)."),
        .value("swift", "FILE", help: "Also write the model as Swift source (the built-in default)."),
        .value("curve", "FILE", help: "Write the training curve: an SVG plot if FILE ends in .svg, else CSV."),
    ] + commonOptions)

    /// What the loader reads beside PNM.
    static let decoders: [String: ImageLoader.Decoder] = ["png": TrainingPNG.decode]

    /// Directories of training images (.ppm/.pgm/.pnm/.png, searched recursively).
    var directories: [String]
    var output: String
    var force: Bool
    var steps: Int
    var seed: UInt64
    var timeLimit: Double?
    var resume: String?
    var checkpoint: String?
    var validation: String?
    var hidden: String
    var batch: Int
    var learningRate: Float
    var crops: Int
    var cropSize: Int
    var keep: Float
    var swift: String?
    var curve: String?

    init(_ parsed: ParsedArguments) throws {
        directories = parsed.operands
        guard !directories.isEmpty else { throw UsageError.invalid("train needs at least one DIR of training images") }
        guard let output = parsed.value("output") else { throw UsageError.invalid("train needs -o FILE, the model file to write") }
        self.output = output
        force = parsed.has("force")
        let number = "give a whole number", fraction = "give a number"
        steps = try parsed.value("steps", as: Int.self, expected: number) ?? 4000
        seed = try parsed.value("seed", as: UInt64.self, expected: "give a whole number, 0 or more") ?? 1
        timeLimit = try parsed.value("time-limit", as: Double.self, expected: "give a number of seconds")
        resume = parsed.value("resume")
        checkpoint = parsed.value("checkpoint")
        validation = parsed.value("validation")
        hidden = parsed.value("hidden") ?? "16"
        batch = try parsed.value("batch", as: Int.self, expected: number) ?? 1024
        learningRate = try parsed.value("lr", as: Float.self, expected: fraction) ?? 3e-3
        crops = try parsed.value("crops", as: Int.self, expected: number) ?? 8
        cropSize = try parsed.value("crop-size", as: Int.self, expected: number) ?? 256
        keep = try parsed.value("keep", as: Float.self, expected: fraction) ?? 0.25
        swift = parsed.value("swift")
        curve = parsed.value("curve")
    }

    func run() throws {
        try checkOutputs()
        do { try train() } catch let error as TrainingError {
            Console.error(error.description)
            throw CommandFailure()
        }
    }

    /// Fails before hours of training, not at the first checkpoint or the end: the model file must not
    /// exist (unless `-f`) and every file the run writes must have a writable folder.
    func checkOutputs() throws {
        if isDirectory(output) { throw CLIError("\(output) is a directory") }
        if !force && access(output, F_OK) == 0 { throw CLIError("\(output) already exists; use -f to overwrite") }
        for path in [output, checkpoint ?? output + ".ckpt", swift, curve].compactMap({ $0 }) {
            let folder = splitPath(path).folder
            guard isDirectory(folder) else { throw CLIError("cannot write \(path): \(folder) is not a directory") }
            guard access(folder, W_OK | X_OK) == 0 else {
                throw CLIError("cannot write \(path): \(folder): \(String(cString: strerror(errno)))")
            }
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The usable images, after a warning for each file skipped.
    func loadImages(_ directories: [String]) throws -> [(path: String, image: PixelImage)] {
        let (images, skipped) = try ImageLoader.load(directories, decoders: Self.decoders)
        for s in skipped { Console.error("warning: skipped \(s)") }
        guard !images.isEmpty else { throw TrainingError.noImages(directories.joined(separator: ", ")) }
        return images
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

        let images = try loadImages(directories)
        Console.error("\(images.count) training images; extracting latents from \(images.count * crops) crops...")
        let t0 = monotonicSeconds()
        let data = try TrainingSet.build(from: images.map(\.image), crops: crops, side: cropSize, keep: keep, seed: seed)
        let valImages = try validation.map { try loadImages([$0]) } ?? []
        let valData = valImages.isEmpty
            ? try TrainingSet.build(from: images.map(\.image), crops: 1, side: cropSize, keep: keep, seed: seed ^ 0x5EED)
            : try TrainingSet.build(from: valImages.map(\.image), crops: 2, side: cropSize, keep: keep, seed: seed ^ 0x5EED)
        Console.error(String(cFormat: "%ld training and %ld validation latents in %.1f s", data.count, valData.count,
                             monotonicSeconds() - t0))

        var trainer = try Trainer(config: config, data: data)
        if let resume {
            guard let bytes = readWholeFile(resume) else { throw TrainingError.badCheckpoint("cannot read \(resume)") }
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
            try writeAtomically(path, Array((path.hasSuffix(".svg") ? curve.svg : curve.csv).utf8))
        }

        let model = try ModelQuantizer.quantize(run.trainer.state.model)
        let range = 0..<min(valData.count, TrainingRun.validationSampleCap)
        let floatBits = run.trainer.state.model.meanBits(valData, range)
        let fixedBits = ModelQuantizer.meanBits(model, valData, range)
        Console.error(String(cFormat: "quantized: validation %.4f bits/latent (float %.4f, %+.2f %%); %ld multiply-adds per latent",
                             fixedBits, floatBits, 100 * (fixedBits / floatBits - 1), model.network.multiplyAdds))
        let file = ModelFile.serialize(model)
        try writeWholeFile(output, file)
        Console.error("wrote \(output): " + String(cFormat: "%ld bytes, model id %016llx", file.count, model.id))
        if let swift {
            let source = ModelSource.swift(model, name: "DefaultImageModelData",
                                           comment: (["flowzip"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
            try writeAtomically(swift, Array(source.utf8))
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
