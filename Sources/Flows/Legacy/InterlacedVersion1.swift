// Legacy, decode-only: image flow payload version 1, the interlaced flow before the neighbour-error
// term joined the prior context (version 3, `NeighbourErrors`). Pinned by FormatTests' version 1
// goldens (`golden`) and the container goldens ppm-flow-handmade.fz, pgm-flow-learned.fz, png-flow.fz,
// flow-small-packed-v1.fz and flow-small-unpacked.fz (Tests/FlowZipTests/Golden/). No encoder
// writes version 1 any more (interlaced strips are version 3); the decoder runs its band loops
// specialised for this type (`DecodingResolver<NoNeighbourTerms>`), so version 3's loops test no
// version per pixel.

/// Version 1's neighbour term: none (0 for every pixel), nothing recorded.
struct NoNeighbourTerms: NeighbourTerms {
    init(layout: ImageLayout, channels: Int) {}
    mutating func recordCoarse(channel: Int, residuals: [Int32]) {}
    mutating func terms(for band: BandInfo) -> [Int32] { [Int32](repeating: 0, count: band.width * band.height) }
    mutating func record(_ band: BandInfo, residuals: [Int32]) {}
}
