/// One channel of an image (or any 2-D integer signal): `height` rows of `width` samples, row-major.
///
/// Invariant: `samples.count == width * height`, both dimensions ≥ 0. Sizes may be odd or zero;
/// every layer in this module handles them exactly.
public struct Plane: Sendable, Equatable {
    /// Samples per row.
    public private(set) var width: Int
    /// Number of rows.
    public private(set) var height: Int
    /// Row-major samples; `samples[y * width + x]`.
    public var samples: [Int32]

    /// A plane of `width × height` samples, all equal to `value`.
    public init(width: Int, height: Int, repeating value: Int32 = 0) {
        precondition(width >= 0 && height >= 0, "plane dimensions must be non-negative")
        self.width = width
        self.height = height
        self.samples = Array(repeating: value, count: width * height)
    }

    /// A plane over existing row-major samples; `samples.count` must equal `width * height`.
    public init(width: Int, height: Int, samples: [Int32]) {
        precondition(width >= 0 && height >= 0 && samples.count == width * height,
                     "sample count must equal width × height")
        self.width = width
        self.height = height
        self.samples = samples
    }

    /// Number of samples.
    @inlinable public var count: Int { samples.count }

    /// The sample at column `x`, row `y`.
    @inlinable public subscript(x: Int, y: Int) -> Int32 {
        get { samples[y * width + x] }
        set { samples[y * width + x] = newValue }
    }
}
