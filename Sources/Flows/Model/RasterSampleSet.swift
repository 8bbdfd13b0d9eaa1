/// The (features, value) pairs of an image under the learned raster conditioner, as the codec
/// computes them (`RasterFeatures`): what the conditioner is trained on.
public struct RasterSampleSet: Sendable {
    /// `featureCount` features per sample, concatenated.
    public var features: [Int16] = []
    /// The coded value (after compaction and colour lifting).
    public var values: [Int32] = []
    /// The weighted predictor's base prediction `P`, Q8.
    public var basesQ8: [Int32] = []
    /// The channel of each sample.
    public var channels: [UInt8] = []

    /// Length of a feature vector: every feature any network reads (`RasterFeatures.wideCount`);
    /// a network of fewer inputs reads the first ones.
    public static var featureCount: Int { RasterFeatures.wideCount }

    /// An empty set.
    public init() {}

    /// Number of samples.
    public var count: Int { values.count }
}

extension ImageFlowCodec {
    /// The raster conditioner's samples of every `keepEvery`-th sub-pixel of `image` (in coding
    /// order), with YCoCg-R colour lifting for colour images: recorded by the coding loop itself
    /// (`LearnedRasterCoder.run`), so training sees the codec's very integers.
    public static func rasterSamples(of image: PixelImage, keepEvery: Int = 1) throws(FlowsError) -> RasterSampleSet {
        var (planes, _, compactions) = try prepare(image, options: ImageFlowOptions())
        let shift = activityShift(bitDepth: image.bitDepth, compactions: compactions)
        var recorder = RasterSampleRecorder(step: max(1, keepEvery))
        try LearnedRasterCoder.run(&planes, network: .builtIn, side: .neutral(channels: planes.count), shift: shift, visitor: &recorder)
        return recorder.set
    }
}

/// Keeps every `step`-th sub-pixel's features, value and base prediction.
struct RasterSampleRecorder: LearnedRasterCoder.Visitor {
    let step: Int
    var seen = 0
    var set = RasterSampleSet()
    static var wantsWideFeatures: Bool { true }

    mutating func wants(channel _: Int) -> Bool {
        defer { seen += 1 }
        return seen % step == 0
    }

    mutating func visit(_ pixel: LearnedRasterCoder.Pixel, value: Int32) throws(FlowsError) -> Int32 {
        for k in 0..<RasterSampleSet.featureCount { set.features.append(pixel.features[k]) }
        set.values.append(value)
        set.basesQ8.append(pixel.baseQ8)
        set.channels.append(UInt8(pixel.channel))
        return value
    }
}

extension ImageFlowCodec {
    /// The size of `image`'s hand-made raster stream (payload version 5) with YCoCg-R, the baseline
    /// the learned conditioner is measured against in training reports.
    public static func handMadeRasterSize(of image: PixelImage) throws(FlowsError) -> Int {
        try encodeRaster(image, options: ImageFlowOptions(), learned: false).count
    }
}
