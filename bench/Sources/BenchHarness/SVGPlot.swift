import Foundation

/// A hand-written SVG scatter plot of one corpus: two panels side by side, compression ratio (up is
/// better) against encode speed on the left and decode speed on the right (right is faster, log
/// scale), one labelled point per codec from its corpus totals. Both panels share their axes, so a
/// codec's point moves only sideways from one to the other (how much slower it encodes).
public enum SVGPlot {
    /// The SVG document for `rows` of `corpus`.
    public static func render(corpus: String, rows: [BenchRow]) -> String {
        let points = CodecSummary.summarize(rows).compactMap { s -> Point? in
            guard let encode = s.encodeMBps, let decode = s.decodeMBps, let ratio = s.ratio,
                  encode > 0, decode > 0 else { return nil }
            return Point(codec: s.codec, encode: encode, decode: decode, ratio: ratio)
        }
        let panelW = 400.0, gap = 150.0
        let left = 70.0, right = 170.0, top = 40.0, bottom = 60.0, plotH = 380.0
        let width = left + 2 * panelW + gap + right, height = top + plotH + bottom

        // Axes: decades of speed around both speeds; ratio from 1 (or below) to a round top.
        let logs = points.flatMap { [log10($0.encode), log10($0.decode)] }
        let xMin = floor(logs.min() ?? -1), xMax = max(ceil(logs.max() ?? 3), xMin + 1)
        let ratios = points.map(\.ratio)
        let yMin = min(1.0, floor((ratios.min() ?? 1) * 2) / 2)
        let yMax = max(yMin + 0.5, ceil((ratios.max() ?? 2) * 4) / 4)
        func y(_ ratio: Double) -> Double { top + (yMax - ratio) / (yMax - yMin) * plotH }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="24" font-size="15" font-weight="bold">\(escape(corpus)): compression ratio vs encode and decode speed</text>

        """
        for (index, side) in ["encode", "decode"].enumerated() {
            let panelLeft = left + Double(index) * (panelW + gap)
            func x(_ speed: Double) -> Double { panelLeft + (log10(speed) - xMin) / (xMax - xMin) * panelW }
            // Grid and tick labels.
            for decade in stride(from: xMin, through: xMax, by: 1) {
                let gx = panelLeft + (decade - xMin) / (xMax - xMin) * panelW
                svg += line(gx, top, gx, top + plotH, "#ddd")
                svg += text(gx, top + plotH + 18, String(format: "%g", pow(10, decade)), anchor: "middle")
            }
            let yStep = (yMax - yMin) > 4 ? 1.0 : (yMax - yMin) > 1.5 ? 0.5 : 0.25
            for tick in stride(from: yMin, through: yMax + 1e-9, by: yStep) {
                svg += line(panelLeft, y(tick), panelLeft + panelW, y(tick), "#ddd")
                svg += text(panelLeft - 8, y(tick) + 4, Format.fixed(tick, 2), anchor: "end")
            }
            svg += "<rect x=\"\(panelLeft)\" y=\"\(top)\" width=\"\(panelW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#333\"/>\n"
            svg += text(panelLeft + panelW / 2, height - 18, "\(side) speed, MB/s (log scale)", anchor: "middle")
            if index == 0 {  // the right panel shares the ratio axis
                svg += "<text transform=\"translate(20 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">"
                    + "ratio (original / compressed)</text>\n"
            }
            svg += plotPoints(points.map { ($0.codec, x(index == 0 ? $0.encode : $0.decode), y($0.ratio)) })
        }
        let legendX = left + 2 * panelW + gap
        let legend: [(String, String)] = [("#d62728", "FlowZip"), ("#1f77b4", "general-purpose"), ("#2ca02c", "format-specific peer")]
        for (i, (colour, label)) in legend.enumerated() {
            let ly = top + 10 + Double(i) * 18
            svg += "<circle cx=\(attr(legendX + 20)) cy=\(attr(ly)) r=\"4\" fill=\"\(colour)\"/>\n"
            svg += text(legendX + 30, ly + 4, label, anchor: "start")
        }
        return svg + "</svg>\n"
    }

    private struct Point { var codec: String, encode: Double, decode: Double, ratio: Double }

    /// Points at their panel coordinates, coloured by family, labelled to the right; a label that would
    /// overlap an earlier label or a point moves down or up a line at a time, with a thin leader back to
    /// its point. Every point is an obstacle too, so no label runs through another codec's point.
    private static func plotPoints(_ points: [(name: String, x: Double, y: Double)]) -> String {
        var svg = ""
        var placed: [(x: Double, y: Double, w: Double)] = points.map { ($0.x - 5, $0.y, 10) }
        for (name, px, py) in points {
            let colour = name.hasPrefix("flowzip") ? "#d62728" : ["zstd", "zlib", "xz"].contains { name.hasPrefix($0) } ? "#1f77b4" : "#2ca02c"
            svg += "<circle cx=\(attr(px)) cy=\(attr(py)) r=\"4\" fill=\"\(colour)\"/>\n"
            let w = Double(name.count) * 7
            let lx = px + 7
            func overlaps(_ dy: Double) -> Bool {
                placed.contains { other in
                    let sameLine: Bool = abs(other.y - (py + dy)) < 13
                    let sideBySide: Bool = lx < other.x + other.w && other.x < lx + w
                    return sameLine && sideBySide
                }
            }
            var shifts: [Double] = [0]
            for step in 1...12 { shifts += [Double(step) * 14, Double(-step) * 14] }
            let dy = shifts.first { !overlaps($0) } ?? 0
            placed.append((lx, py + dy, w))
            if dy != 0 { svg += line(px + 4, py, px + 7, py + dy, "#999") }
            svg += text(px + 7, py + dy + 4, name, anchor: "start")
        }
        return svg
    }

    private static func attr(_ v: Double) -> String { "\"" + String(format: "%.1f", v) + "\"" }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ colour: String) -> String {
        "<line x1=\(attr(x1)) y1=\(attr(y1)) x2=\(attr(x2)) y2=\(attr(y2)) stroke=\"\(colour)\"/>\n"
    }

    private static func text(_ x: Double, _ y: Double, _ content: String, anchor: String) -> String {
        "<text x=\(attr(x)) y=\(attr(y)) text-anchor=\"\(anchor)\">\(escape(content))</text>\n"
    }

    /// Escapes text for XML.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
