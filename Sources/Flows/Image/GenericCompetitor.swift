/// What the flow has to beat for its coding of a strip to be kept: the size a generic compressor
/// (FlowZip: zstd) gives the strip's rows of raw interleaved bytes, given the rows before them. With
/// one in `ImageFlowOptions`, the `fast` and `sampled` strip searches give up on a strip whose sample
/// predicts a flow coding well above it (`ImageFlowCodec.encodeSearching`), before any full coding:
/// on textures and screenshots that zstd wins, the flow's work was thrown away (a 2.9-megapixel
/// texture: 18 s against zstd -19's 1 s).
public struct GenericCompetitor: Sendable, Equatable {
    /// Names the measure. Closures cannot be compared: options are equal when their measures' names are.
    public let name: String
    private let measure: @Sendable (Range<Int>) -> Int
    /// The image rows of the strip being coded, and the image's height (the codec sets them for each strip).
    private(set) var rows: Range<Int>? = nil
    private(set) var height = 0

    /// `measure` gives the generic size of a range of the image's rows, given the rows before it.
    public init(name: String, _ measure: @escaping @Sendable (_ rows: Range<Int>) -> Int) {
        self.name = name
        self.measure = measure
    }

    /// The competitor of the strip of `rows` of an image `height` rows high.
    func forRows(_ rows: Range<Int>, of height: Int) -> GenericCompetitor {
        var strip = self
        strip.rows = rows
        strip.height = height
        return strip
    }

    /// The generic size of the strip's rows; nil before `forRows`.
    func stripSize() -> Int? { rows.map(measure) }

    /// The generic size of the whole image.
    func imageSize() -> Int { measure(0..<height) }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
}
