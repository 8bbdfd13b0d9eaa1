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

    /// Length of a feature vector.
    public static var featureCount: Int { RasterFeatures.count }

    /// An empty set.
    public init() {}

    /// Number of samples.
    public var count: Int { values.count }
}

extension ImageFlowCodec {
    /// The raster conditioner's samples of every `keepEvery`-th sub-pixel of `image` (in raster
    /// order, per channel), with YCoCg-R colour lifting for colour images.
    public static func rasterSamples(of image: PixelImage, keepEvery: Int = 1) throws(FlowsError) -> RasterSampleSet {
        let options = ImageFlowOptions()
        let (planes, _, compactions) = try prepare(image, options: options)
        let shift = activityShift(bitDepth: image.bitDepth, compactions: compactions)
        var set = RasterSampleSet()
        let step = max(1, keepEvery)
        var features = [Int16](repeating: 0, count: RasterFeatures.count)
        var leads = [[Int32]]()
        for (c, plane) in planes.enumerated() {
            let (w, h) = (plane.width, plane.height)
            var pass = RasterChannelPass(width: w, channel: .init(index: c, channels: planes.count, shift: shift))
            var residuals = [Int32](repeating: 0, count: c < 2 ? w * h : 0)
            var counter = 0
            plane.samples.withUnsafeBufferPointer { v in
                features.withUnsafeMutableBufferPointer { f in
                    for y in 0..<h {
                        for x in 0..<w {
                            let i = y * w + x
                            let lead0 = c >= 1 ? leads[0][i] : 0, lead1 = c >= 2 ? leads[1][i] : 0
                            let base = pass.prepare(v, x: x, y: y, lead0: lead0, lead1: lead1, features: f.baseAddress!)
                            if c < 2 { residuals[i] = v[i] &- roundQ8(base) }
                            if counter % step == 0 {
                                for k in 0..<RasterFeatures.count { set.features.append(f[k]) }
                                set.values.append(v[i])
                                set.basesQ8.append(base)
                                set.channels.append(UInt8(c))
                            }
                            counter += 1
                            pass.update(x: x, y: y, value: v[i])
                        }
                    }
                }
            }
            leads.append(residuals)
        }
        return set
    }
}

extension ImageFlowCodec {
    /// The size of `image`'s hand-made raster stream (payload version 5) with YCoCg-R, the baseline
    /// the learned conditioner is measured against in training reports.
    public static func handMadeRasterSize(of image: PixelImage) throws(FlowsError) -> Int {
        try encodeRaster(image, options: ImageFlowOptions(), learned: false).count
    }
}
