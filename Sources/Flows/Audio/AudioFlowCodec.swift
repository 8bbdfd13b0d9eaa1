import EntropyCoding

/// The 1-D integer flow for audio and other sampled signals, and its rANS coding (issue 7).
///
/// The flow, per chunk of planar Int32 channels (all layers exact integer bijections, volume-preserving):
/// 1. **wasted bits**: a channel whose samples all end in `w` zero bits is shifted right by `w`;
/// 2. **channel coupling** (stereo): one `ChannelLifting` mode per block of `blockLength` frames;
/// 3. **autoregressive coupling along time**: per block and channel a `LinearPredictor` (order 0...32)
///    fitted by the encoder and sent. Prediction reads the preceding 32 samples across block
///    boundaries, mapped by the current block's coupling, so no warm-up is lost;
/// 4. **adaptive coupling** (per channel, when the encoder finds it pays): a sign LMS filter over
///    the predictor's residuals, running across the whole chunk (version 1: `SignLMS`, 64 taps in
///    Int64 arithmetic; version 2: `SaturatingSignLMS`, the same 64 taps in 16-bit lanes; version 3:
///    `ScaledSignLMS`, 128 taps whose steps scale with the input; versions 1 and 2 are decode-only, in
///    Sources/Flows/Legacy/). Its output is the latent.
///
/// The prior (`ScaleContext`, `ScaleCode`, `LatentCoding`): each latent is discretized-logistic with
/// mean 0 and a scale read from a per-chunk table indexed by the running level of its channel.
///
/// Coded data, in the order a decoder pops it from the rANS stack (every field uniform unless named):
/// - per channel: wasted bits `w` (0...31);
/// - per channel: adaptive filter: version 1 off or on (0...1); versions 2 and 3 off (0) or on with
///   input shift `k` (`k + 1`, 1...25);
/// - scale table: first bucket `b0` (0...159), bucket count `m` (1...160 - b0), `m` scale codes (0...208);
/// - per block: mode (0...3, stereo only); per channel: order index into `orders`, and when the order is
///   not 0: coefficient precision `p` − 8 (0...7), shift (0...24), `order` coefficients as `c + 2^(p-1)`
///   (0...2^p - 1); then the block's latents, frame by frame, channel by channel, under the prior.
/// A decoder finds the stack empty at the end; anything else is corruption.
public enum AudioFlowCodec {
    /// Versions of the coded data. They differ only in the adaptive filter (layer 4); every version
    /// ever written decodes forever. The encoder writes `current` only: versions 1 and 2 are
    /// decode-only, their filters in Sources/Flows/Legacy/.
    public enum Version: Int, Sendable, CaseIterable {
        /// `SignLMS`: 64 taps in Int32/Int64 arithmetic (decode only).
        case v1 = 1
        /// `SaturatingSignLMS`: 64 taps in 16-bit lanes (SIMD), about 4x fewer instructions to decode
        /// than version 1 (decode only).
        case v2 = 2
        /// `ScaledSignLMS<Version3Shape>`: 128 taps whose steps scale with their inputs' size and age.
        case v3 = 3

        /// What the encoder writes.
        public static let current = Version.v3
    }

    /// Frames per block: the unit of channel coupling and predictor choice.
    public static let blockLength = 4096
    /// Predictor orders an encoder may pick; a block sends the index.
    public static let orders = [0, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 28, 32]
    static let history = LinearPredictor.maxOrder

    /// Codes planar channels (equal lengths, 1...8 channels) into the bytes of a rANS stack, in
    /// version `Version.current`.
    public static func encode(_ channels: [[Int32]]) -> [UInt8] {
        precondition((1...8).contains(channels.count) && channels.allSatisfy { $0.count == channels[0].count })
        var coder = AudioFlowEncoder(channels: channels)
        return coder.run()
    }

    /// Decodes `channelCount` channels of `frameCount` frames; throws when the payload is not one the
    /// encoder wrote for that shape. Allocates `channelCount · frameCount` samples: callers bound them.
    /// `sampleBits` as in `decode(_:channelCount:frameCount:version:sampleBits:blocks:)`.
    public static func decode(_ bytes: some Collection<UInt8>, channelCount: Int, frameCount: Int,
                              version: Version = .current, sampleBits: Int = 32) throws(AudioFlowError) -> [[Int32]] {
        var channels = [[Int32]](repeating: [], count: (1...8).contains(channelCount) ? channelCount : 0)
        for c in channels.indices { channels[c].reserveCapacity(frameCount) }
        try decode(bytes, channelCount: channelCount, frameCount: frameCount, version: version,
                   sampleBits: sampleBits) { range, samples in
            for c in channels.indices {
                channels[c].append(contentsOf: samples[(c * blockLength)..<(c * blockLength + range.count)])
            }
            return true
        }
        return channels
    }

    /// Decodes `channelCount` channels of `frameCount` frames block by block, handing each block to
    /// `blocks` as it is decoded: its frame range and its samples, channel `c` at
    /// `c · blockLength ..< c · blockLength + range.count` (valid during the call only). The decoder
    /// itself keeps one block, so a caller that writes the samples where they go needs no second copy of
    /// the signal. `blocks` returns false to stop (this throws). The blocks arrive before the payload's
    /// end is checked: on a throw, discard what they wrote. `sampleBits`: the width of the encoded
    /// samples when the caller knows it (24 or less lets the decoder predict in 16-bit lanes; the
    /// result is the same for every stream the encoder wrote from such samples).
    public static func decode(_ bytes: some Collection<UInt8>, channelCount: Int, frameCount: Int,
                              version: Version = .current, sampleBits: Int = 32,
                              blocks: (_ range: Range<Int>, _ samples: UnsafeBufferPointer<Int32>) -> Bool)
        throws(AudioFlowError) {
        guard (1...8).contains(channelCount), frameCount >= 0 else {
            throw .unsupported("\(channelCount) channels of \(frameCount) frames")
        }
        var stack: RansStack
        do { stack = try RansStack(bytes: bytes) } catch { throw .corrupt("rANS stack: \(error)") }
        var decoder = AudioFlowDecoder(stack: stack, channelCount: channelCount, frameCount: frameCount,
                                       version: version, sampleBits: sampleBits)
        try decoder.run(blocks)
        guard decoder.stack.isAtInitialState else { throw .corrupt("coded data does not end where the signal does") }
    }

    /// The block ranges of a signal of `frameCount` frames.
    static func blocks(_ frameCount: Int) -> [Range<Int>] {
        stride(from: 0, to: frameCount, by: blockLength).map { $0..<min($0 + blockLength, frameCount) }
    }

    /// The coupled signals of block `range` plus up to `history` frames before it, from originals.
    static func coupled(_ x: [[Int32]], _ range: Range<Int>, mode: ChannelLifting) -> (start: Int, signals: [[Int32]]) {
        let start = max(0, range.lowerBound - history)
        guard x.count == 2 else { return (start, x.map { Array($0[start..<range.upperBound]) }) }
        var u: [Int32] = [], v: [Int32] = []
        u.reserveCapacity(range.upperBound - start)
        v.reserveCapacity(range.upperBound - start)
        for i in start..<range.upperBound {
            let (a, b) = mode.forward(x[0][i], x[1][i])
            u.append(a)
            v.append(b)
        }
        return (start, [u, v])
    }
}
