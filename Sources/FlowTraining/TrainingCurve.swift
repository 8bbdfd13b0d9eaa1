import TextFormatting

/// The training curve as CSV or as a small self-contained SVG plot (validation and training
/// bits per latent against steps), for `flowzip train --curve`.
public struct TrainingCurve: Sendable {
    /// (step, train bits or nil at step 0, validation bits, seconds).
    public var points: [(step: Int, train: Double?, validation: Double, seconds: Double)] = []
    /// Shown under the title.
    public var caption = ""

    /// An empty curve.
    public init() {}

    /// One line per point: step, train bits (empty at the start), validation bits, seconds.
    public var csv: String {
        "step,train_bits,validation_bits,seconds\n" + points.map {
            "\($0.step)," + ($0.train.map { String(cFormat: "%.5f", $0) } ?? "") + String(cFormat: ",%.5f,%.1f", $0.validation, $0.seconds)
        }.joined(separator: "\n") + "\n"
    }

    /// An SVG line plot, 640×400; the y axis spans the values after the first 5 % of the steps
    /// (earlier ones are clipped), so the slow part of the descent is visible.
    public var svg: String {
        let w = 640.0, h = 400.0, left = 60.0, right = 20.0, top = 50.0, bottom = 50.0
        let maxStep = Double(points.map(\.step).max() ?? 1)
        let shown = points.count > 2 ? Array(points.dropFirst()) : points
        let late = shown.filter { Double($0.step) >= 0.05 * maxStep }
        let values = (late.isEmpty ? shown : late).flatMap { [$0.validation] + ($0.train.map { [$0] } ?? []) }
        let lo = (values.min() ?? 0) - 0.02, hi = (values.max() ?? 1) + 0.02
        func x(_ s: Int) -> Double { left + (w - left - right) * Double(s) / max(maxStep, 1) }
        func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - (min(max(v, lo), hi) - lo) / max(hi - lo, 1e-9)) }
        func path(_ pts: [(Int, Double)]) -> String {
            pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + String(cFormat: "%.1f,%.1f", x($0.element.0), y($0.element.1)) }.joined(separator: " ")
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(left))" y="20" font-size="14">Learned image prior: bits per latent during training</text>
            <text x="\(Int(left))" y="36" fill="#555">\(caption)</text>
            <line x1="\(left)" y1="\(h - bottom)" x2="\(w - right)" y2="\(h - bottom)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(h - bottom)" stroke="black"/>

            """
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            out += String(cFormat: "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>\n", left - 6, y(v) + 4, v)
            let s = Int(maxStep * Double(k) / 4)
            out += String(cFormat: "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%ld</text>\n", x(s), h - bottom + 16, s)
        }
        out += "<text x=\"\(Int(w / 2))\" y=\"\(Int(h - 12))\" text-anchor=\"middle\">step</text>\n"
        out += "<path d=\"\(path(shown.compactMap { p in p.train.map { (p.step, $0) } }))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>\n"
        out += "<path d=\"\(path(shown.map { ($0.step, $0.validation) }))\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n"
        out += "<text x=\"\(Int(w - 200))\" y=\"\(Int(top + 14))\" fill=\"#1f77b4\">training minibatches</text>\n"
        out += "<text x=\"\(Int(w - 200))\" y=\"\(Int(top + 30))\" fill=\"#d62728\">validation crops</text>\n"
        return out + "</svg>\n"
    }
}
