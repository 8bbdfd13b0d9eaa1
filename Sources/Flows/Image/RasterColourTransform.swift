/// The colour stages the raster coding may use instead of YCoCg-R (payload version 5, header flag
/// bit 6 and the transform byte), after JPEG XL's reversible colour transforms: a permutation that
/// puts green first, then subtract-green lifting. The encoder codes a strip both ways and keeps the
/// smaller (`ImageFlowCodec.encodeRasterChoosingColour`). YCoCg-R decorrelates well on average; on some photos
/// green predicts red and blue better than luma predicts chroma, and the raster coder's channel
/// conditioning then sees G's residual where the colour differences have theirs.
///
/// Integer lifting, exactly invertible, cost 0 bits. Input (R, G, B, A?); output channel 0 is G.
/// For samples in `[0, M]` every output lies in `[−M, M]`. Channels past the third are untouched.
enum RasterColourTransform: UInt8, CaseIterable, Sendable {
    /// (G, R − G, B − G): WebP's subtract-green, JPEG XL's RCT 3 after the permutation (G, R, B).
    case subtractGreen = 1
    // Measured and not kept (train/validation photos, raster cost): (G, R − G, B − ⌊(R + G)/2⌋),
    // JPEG XL's RCT 5, +1.4 % against YCoCg-R and best on one photo of seven by 0.06 %.

    func forward(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        let n = try Self.checked(planes)
        return try permutation(n).forward(try mixing(n).forward(planes))
    }

    func inverse(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        let n = try Self.checked(planes)
        return try mixing(n).inverse(try permutation(n).inverse(planes))
    }

    private static func checked(_ planes: [Plane]) throws(FlowsError) -> Int {
        guard planes.count >= 3 else { throw FlowsError.shapeMismatch("a colour transform needs three colour channels, got \(planes.count)") }
        return planes.count
    }

    /// The lifting on (R, G, B, A?), before the permutation.
    private func mixing(_ n: Int) -> LiftingMixing {
        return LiftingMixing(channels: n, steps: [
            LiftingStep(target: 0, sources: [1], weights: [-1])!,          // R ← R − G
            LiftingStep(target: 2, sources: [1], weights: [-1])!,          // B ← B − G
        ])!
    }

    private func permutation(_ n: Int) -> ChannelPermutation {
        ChannelPermutation([1, 0, 2] + Array(3..<n))!
    }
}
