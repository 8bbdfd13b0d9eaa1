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
        .flag("force", short: "f", help: "Overwrite an existing model file, and write the model even when it is not better than the built-in one on the validation set (otherwise that is an error, exit status 1, and no model is written)."),
        .value("threads", short: "T", "N", help: "Threads; 0 (the default): one per core. The crops' latents are extracted on N threads, the validation images coded on N threads, and each step's gradient is computed in two halves on min(N, 2) threads. The model is the same for every N."),
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
    /// Threads (already resolved: 0 became the number of cores).
    var threads: Int
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
        let threads = try parsed.value("threads", as: Int.self, expected: "give a number of threads, 0 for one per core") ?? 0
        guard (0...256).contains(threads) else { throw UsageError.invalid("-T takes 0...256") }
        self.threads = threads == 0 ? availableProcessors() : threads
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
        config.threads = threads
        let widths = hidden.split(separator: ",").compactMap { Int($0) }
        guard !widths.isEmpty, widths.count == hidden.split(separator: ",").count else {
            throw TrainingError.invalidArgument("--hidden wants widths like 16,16")
        }
        config.hidden = widths

        let images = try loadImages(directories)
        Console.error("\(images.count) training images; extracting latents from \(images.count * crops) crops...")
        let t0 = monotonicSeconds()
        let data = try TrainingSet.build(from: images.map(\.image), crops: crops, side: cropSize, keep: keep, seed: seed,
                                         threads: threads)
        let valImages = try validation.map { try loadImages([$0]) } ?? []
        let valData = valImages.isEmpty
            ? try TrainingSet.build(from: images.map(\.image), crops: 1, side: cropSize, keep: keep, seed: seed ^ 0x5EED,
                                    threads: threads)
            : try TrainingSet.build(from: valImages.map(\.image), crops: 2, side: cropSize, keep: keep, seed: seed ^ 0x5EED,
                                    threads: threads)
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
        // A model no smaller than the built-in one on the validation set is refused unless -f: using it
        // would cost bytes (issue 16).
        let builtIn = ImagePriorModel.builtIn
        let real = valImages.isEmpty ? nil : try checkRealSize(model, builtIn: builtIn, valImages)
        if let builtIn {
            let comparison = real.map { real in
                BuiltInComparison(trained: real.learned, builtIn: real.builtIn ?? 0, of: "the validation images, coded")
            } ?? BuiltInComparison(estimateOf: model, builtIn, valData, range)
            if !comparison.trainedIsSmaller {
                guard force else {
                    Console.error(comparison.notBetter + "; the model is not written (-f writes it anyway; so does "
                                  + "--resume \(checkpoint ?? output + ".ckpt") -f with the same options, which trains only the steps left)")
                    throw CommandFailure()
                }
                Console.error("warning: " + comparison.notBetter + "; written anyway (-f)")
            } else {
                Console.error("better than the built-in model on the validation set: " + comparison.sizes)
            }
        }
        let file = ModelFile.serialize(model)
        try writeWholeFile(output, file)
        Console.error("wrote \(output): " + String(cFormat: "%ld bytes, model id %016llx", file.count, model.id))
        if let swift {
            let source = ModelSource.swift(model, name: "DefaultImageModelData",
                                           comment: (["flowzip"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
            try writeAtomically(swift, Array(source.utf8))
        }
    }

    /// The real coded size of the validation images with the hand-made prior, the trained model and the
    /// built-in one (if any), beside the model's estimate on the same images. The images are coded on
    /// `threads` threads. Returns the total bytes with the trained model and with the built-in one.
    func checkRealSize(_ model: ImagePriorModel, builtIn: ImagePriorModel?, _ images: [(path: String, image: PixelImage)])
        throws -> (learned: Int, builtIn: Int?) {
        let coded = try ParallelJobs.map(images.count, threads: threads) { i throws -> (hand: [UInt8], learned: [UInt8], builtIn: [UInt8]?) in
            let image = images[i].image
            return (try ImageFlowCodec.encode(image), try ImageFlowCodec.encode(image, model: model),
                    try builtIn.map { try ImageFlowCodec.encode(image, model: $0) })
        }
        var hand = 0, learned = 0, inBuiltIn = 0, samples = 0
        var estimate = 0.0, latents = 0
        for ((path, image), (a, b, c)) in zip(images, coded) {
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
            inBuiltIn += c?.count ?? 0
            samples += n
            Console.error("  \(path.split(separator: "/").last ?? ""): "
                          + String(cFormat: "hand-made %.4f, learned %.4f", Double(8 * a.count) / Double(n), Double(8 * b.count) / Double(n))
                          + (c.map { String(cFormat: ", built-in %.4f", Double(8 * $0.count) / Double(n)) } ?? "") + " bits/sub-pixel")
        }
        Console.error(String(cFormat: "validation images: hand-made %.4f, learned %.4f bits/sub-pixel (real); model estimate %.4f bits/latent on their %ld subband latents",
                             Double(8 * hand) / Double(samples), Double(8 * learned) / Double(samples), estimate / Double(latents), latents))
        return (learned, builtIn == nil ? nil : inBuiltIn)
    }
}

/// The trained model against the built-in one on the validation set: the real coded size of the
/// validation images when there are some (`--validation`), else the models' estimate of the code
/// length of the validation latents.
struct BuiltInComparison {
    /// Bytes with each model.
    var trained: Double, builtIn: Double
    /// What was measured.
    var of: String

    init(trained: Int, builtIn: Int, of: String) {
        (self.trained, self.builtIn, self.of) = (Double(trained), Double(builtIn), of)
    }

    /// The estimated bytes of the latents `range` of `set` under each fixed-point model.
    init(estimateOf model: ImagePriorModel, _ reference: ImagePriorModel, _ set: TrainingSet, _ range: Range<Int>) {
        func bytes(_ m: ImagePriorModel) -> Double { ModelQuantizer.meanBits(m, set, range) * Double(range.count) / 8 }
        (trained, builtIn, of) = (bytes(model), bytes(reference), "the \(range.count) validation latents, estimated")
    }

    var trainedIsSmaller: Bool { trained < builtIn }

    /// `the validation images, coded: 26105 bytes with the trained model, 25057 with the built-in one (+4.18 %)`
    var sizes: String {
        "\(of): " + String(cFormat: "%.0f bytes with the trained model, %.0f with the built-in one (%+.2f %%)",
                             trained, builtIn, 100 * (trained / builtIn - 1))
    }

    var notBetter: String { "the trained model is not better than the built-in one on the validation set: " + sizes }
}
