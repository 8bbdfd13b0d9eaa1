/// The colour stage of the image flow: YCoCg-R as integer lifting, then the permutation that puts
/// luma first, (R, G, B, A?) → (Y, Co, Cg, A?). Cost: 0 bits.
///
/// Ranges: for samples in `[0, M]`, Y ∈ [0, M] and Co, Cg ∈ [−M, M].
enum ColourLifting {
    static func forward(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        let n = planes.count
        let mixed = try LiftingMixing.ycocgR(channels: n).forward(planes)
        return try permutation(n).forward(mixed)
    }

    static func inverse(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        let n = planes.count
        let unmixed = try permutation(n).inverse(planes)
        return try LiftingMixing.ycocgR(channels: n).inverse(unmixed)
    }

    private static func permutation(_ n: Int) -> ChannelPermutation {
        ChannelPermutation([2, 0, 1] + Array(3..<n))!
    }
}
