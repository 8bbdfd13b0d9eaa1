/// The inputs of the learned raster conditioner: a fixed-length integer feature vector per
/// sub-pixel, built only from what the decoder already has when it pops that sub-pixel (the
/// decoded values above and to the left, the earlier channels at the same pixel) and from the
/// hand-made weighted predictor's state. Nothing here depends on the network, so the features of a
/// whole image can be computed in one pass by the encoder, and training reads the very same integers
/// (`RasterSampleSet`).
///
/// Every feature is in Q4 of an 8-bit sample unit (a difference of one 8-bit level is 16; deeper
/// images are shifted down by `activityShift`) and clamped to ±`limit`, which bounds the first
/// layer's accumulator. `P` is the weighted predictor's final prediction (Q8) without bias
/// cancellation.
///
/// | # | feature |
/// |--:|---|
/// | 0–6 | N, W, NW, NE, NN, WW, NNE minus `P` (missing neighbours as `RasterPredictor` fills them) |
/// | 7–11 | the five sub-predictions minus the final prediction |
/// | 12–15 | the final prediction's errors (prediction − value) at N, W, NW, NE |
/// | 16 | `log2q(activity >> shift)`: the predictor's activity |
/// | 17 | channel 0's base residual at this pixel (channels 1 and up, else 0) |
/// | 18 | channel 1's base residual at this pixel (channel 2 and up, else 0) |
/// | 19 | the bias cancellation's mean error in this pixel's context |
/// | 20 | the fractional part of `P` |
/// | 21, 22 | channel is 1, channel is 2 or more (16 or 0) |
/// | 23 | the image has 3 or more channels (16 or 0) |
///
/// A base residual is `v − round(P)`: the network's output never feeds back into the features.
///
/// From model 4 on the network reads ten more (`writeWide`), from a wider causal neighbourhood and
/// from the earlier channels' planes, which are whole when a later channel is coded (planes are
/// coded one after another), so their values right of and below the pixel are known too:
///
/// | # | feature |
/// |--:|---|
/// | 24, 25 | NWW, NEE minus `P` |
/// | 26–29 | channel 0 (channels 1 and up, else 0): E − here, S − here, here − W, here − N |
/// | 30–33 | channel 1 (channel 2 and up, else 0): the same four differences |
///
/// (Measured in short trainings on the validation photos, against the 24 alone: the two neighbours
/// −0.5 %; the earlier channels' differences with channel 0's base residuals right of and below the
/// pixel −0.9 %; the ten kept −1.3 %; all twelve −1.1 %, so those two residuals are not used.)
enum RasterFeatures {
    /// Length of the feature vector of models 1 to 3.
    static let count = 24
    /// Length of the feature vector from model 4 on.
    static let wideCount = 34
    /// Every feature lies in `-limit...limit`.
    static let limit: Int32 = 2048

    @inline(__always) static func clamp(_ v: Int64) -> Int16 { Int16(truncatingIfNeeded: min(max(v, -Int64(limit)), Int64(limit))) }
    @inline(__always) static func flag(_ b: Bool) -> Int16 { b ? 16 : 0 }

    /// The per-channel constants of the features.
    struct Channel {
        var index: Int
        var channels: Int
        /// `activityShift`: brings deeper samples to an 8-bit scale.
        var shift: Int32
    }

    /// Writes the `count` features of pixel `(x, y)` into `out`, after `predictor.predict` for that
    /// pixel returned `baseQ8` and `activity`. `v` holds the plane's decoded values (raster order,
    /// `width` wide, the rows above and the pixels to the left filled); `lead0` and `lead1` are the
    /// base residuals of channels 0 and 1 at the pixel (0 where they do not apply); `biasQ8` the bias
    /// cancellation's correction in the pixel's context.
    @inline(__always)
    static func write<Version: RasterVersion>(into out: UnsafeMutablePointer<Int16>, predictor: borrowing RasterPredictor<Version>,
                                              _ v: UnsafeBufferPointer<Int32>, x: Int, y: Int, width w: Int,
                                              baseQ8: Int32, activity: Int32, lead0: Int32, lead1: Int32,
                                              biasQ8: Int32, channel: Channel) {
        // predict checked 0 <= x < w and row y within v; reads below stay in rows y-2...y, columns x-2...x+1.
        let here = y &* w, up = here &- w
        let hasN = y > 0, hasW = x > 0, hasE = x &+ 1 < w
        let N = hasN ? Int64(v[up &+ x]) : hasW ? Int64(v[here &+ x &- 1]) : 0
        let W = hasW ? Int64(v[here &+ x &- 1]) : N
        let NW = hasN && hasW ? Int64(v[up &+ x &- 1]) : N
        let NE = hasN && hasE ? Int64(v[up &+ x &+ 1]) : N
        let NN = y > 1 ? Int64(v[up &- w &+ x]) : N
        let WW = x > 1 ? Int64(v[here &+ x &- 2]) : W
        let NNE = y > 1 && hasE ? Int64(v[up &- w &+ x &+ 1]) : NE
        let s = Int64(channel.shift)
        let p = Int64(baseQ8)
        // Samples below 2^18, predictions within their range: every difference below is under 2^27.
        @inline(__always) func rel(_ n: Int64) -> Int16 { clamp(((n &<< 8) &- p) >> (4 &+ s)) }
        out[0] = rel(N); out[1] = rel(W); out[2] = rel(NW); out[3] = rel(NE)
        out[4] = rel(NN); out[5] = rel(WW); out[6] = rel(NNE)
        let (sub, final) = predictor.predictionsQ3
        @inline(__always) func q3(_ d: Int64) -> Int16 { clamp((d &<< 1) >> s) }
        out[7] = q3(sub.0 &- final); out[8] = q3(sub.1 &- final); out[9] = q3(sub.2 &- final)
        out[10] = q3(sub.3 &- final); out[11] = q3(sub.4 &- final)
        let te = predictor.neighbourErrorsQ3
        out[12] = q3(te.0); out[13] = q3(te.1); out[14] = q3(te.2); out[15] = q3(te.3)
        out[16] = Int16(truncatingIfNeeded: PriorFeatures.log2q(activity >> channel.shift))   // at most 16 · 32
        out[17] = clamp((Int64(lead0) &<< 4) >> s)
        out[18] = clamp((Int64(lead1) &<< 4) >> s)
        out[19] = clamp(Int64(biasQ8) >> (4 &+ s))
        out[20] = Int16(truncatingIfNeeded: (p &- ((p &+ 128) >> 8) << 8) >> 4)   // within ±8
        out[21] = flag(channel.index == 1)
        out[22] = flag(channel.index >= 2)
        out[23] = flag(channel.channels >= 3)
    }
}

extension RasterFeatures {
    /// Writes features `count..<wideCount` of pixel `(x, y)` into `out` (which points at feature
    /// `count`). `v`, `x`, `y`, `width`, `baseQ8` and `channel` as in `write`; `earlier0`, `earlier1`:
    /// the whole decoded planes of channels 0 and 1 when the pixel's channel comes after them (else
    /// empty), `height` rows of `width`.
    @inline(__always)
    static func writeWide(into out: UnsafeMutablePointer<Int16>, _ v: UnsafeBufferPointer<Int32>, x: Int, y: Int,
                          width w: Int, height h: Int, baseQ8: Int32, channel: Channel,
                          earlier0: borrowing [Int32], earlier1: borrowing [Int32]) {
        let i = y &* w &+ x
        let s = Int64(channel.shift), p = Int64(baseQ8)
        // The same fallbacks as `write`: a missing neighbour is N, a missing N is W (or 0).
        let N: Int64 = y > 0 ? Int64(v[i &- w]) : x > 0 ? Int64(v[i &- 1]) : 0
        let NWW: Int64 = y > 0 && x > 1 ? Int64(v[i &- w &- 2]) : N
        let NEE: Int64 = y > 0 && x &+ 2 < w ? Int64(v[i &- w &+ 2]) : N
        @inline(__always) func rel(_ n: Int64) -> Int16 { clamp(((n &<< 8) &- p) >> (4 &+ s)) }
        out[0] = rel(NWW)
        out[1] = rel(NEE)
        // Samples below 2^18: the differences fit.
        @inline(__always) func difference(_ a: Int32, _ b: Int32) -> Int16 { clamp(((Int64(a) &- Int64(b)) &<< 4) >> s) }
        @inline(__always) func differences(_ plane: borrowing [Int32], into o: UnsafeMutablePointer<Int16>) {
            let here = plane[i]
            o[0] = x &+ 1 < w ? difference(plane[i &+ 1], here) : 0
            o[1] = y &+ 1 < h ? difference(plane[i &+ w], here) : 0
            o[2] = x > 0 ? difference(here, plane[i &- 1]) : 0
            o[3] = y > 0 ? difference(here, plane[i &- w]) : 0
        }
        if channel.index >= 1 { differences(earlier0, into: out + 2) } else { for k in 2..<6 { out[k] = 0 } }
        if channel.index >= 2 { differences(earlier1, into: out + 6) } else { for k in 6..<10 { out[k] = 0 } }
    }
}

/// The hand-made state of one channel's raster pass under the learned conditioner: the weighted
/// predictor and the bias cancellation, which the features read. Encoder, decoder and the training
/// export call `prepare` then `update` for every pixel in raster order.
struct RasterChannelPass: ~Copyable {
    private var predictor: RasterPredictor<RasterVersion5>
    private var bias = BiasCancellation()
    let channel: RasterFeatures.Channel
    let width: Int
    /// Set by `prepare`, read by `update`.
    private var baseQ8: Int32 = 0
    private var biasContext = 0

    init(width: Int, channel: RasterFeatures.Channel) {
        predictor = RasterPredictor(width: width)
        self.width = max(width, 1)
        self.channel = channel
    }

    /// Writes the features of pixel `(x, y)` into `out` and returns the base prediction `P` (Q8).
    /// `lead0`, `lead1`: the base residuals of channels 0 and 1 at the pixel (0 where they do not apply).
    @inline(__always)
    mutating func prepare(_ v: UnsafeBufferPointer<Int32>, x: Int, y: Int, lead0: Int32, lead1: Int32,
                          features out: UnsafeMutablePointer<Int16>) -> Int32 {
        let (base, activity) = predictor.predict(v, x: x, y: y, lead: lead0)
        let bucket = InterlacedPredictor.bucket(activity >> channel.shift)
        biasContext = BiasCancellation.context(bucket: bucket, texture: predictor.texture)
        baseQ8 = base
        RasterFeatures.write(into: out, predictor: predictor, v, x: x, y: y, width: width, baseQ8: base,
                             activity: activity, lead0: lead0, lead1: lead1,
                             biasQ8: bias.correctionQ8(biasContext), channel: channel)
        return base
    }

    /// The texture pattern of the pixel last prepared (`RasterPredictor.texture`).
    var texture: Int { predictor.texture }

    /// Records the value of the pixel last prepared.
    @inline(__always)
    mutating func update(x: Int, y: Int, value: Int32) {
        // |value| < 2^18 and |baseQ8| < 2^31: no wrap.
        bias.update(biasContext, errorQ8: Int64(value) &<< 8 &- Int64(baseQ8))
        predictor.update(x: x, y: y, value: value)
    }
}
