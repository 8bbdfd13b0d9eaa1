extension ImageFlowOptions {
    /// The row ranges of the strips of a `width × height` image: one range if it fits in
    /// `stripPixels`, else the fewest strips of at most `stripPixels` pixels, of heights that differ by
    /// at most one row, so that threads get equal shares (a sliver at the bottom would leave one idle).
    func stripRows(width: Int, height: Int) -> [Range<Int>] {
        let maxRows = max(1, stripPixels / max(1, width))
        guard height > maxRows else { return [0..<height] }
        let count = (height + maxRows - 1) / maxRows
        return (0..<count).map { i in (i * height / count)..<((i + 1) * height / count) }
    }

    /// The options for the strips of a `StripContainer`, which are written as they are (`WrittenSize`).
    var forStrips: ImageFlowOptions {
        var options = self
        options.writtenSize = .streamBytes
        return options
    }

    /// The options for the strip of the `rows` of an image `height` high: its competitor measures those rows.
    func forRows(_ rows: Range<Int>, of height: Int) -> ImageFlowOptions {
        var options = self
        options.competitor = competitor?.forRows(rows, of: height)
        return options
    }
}
