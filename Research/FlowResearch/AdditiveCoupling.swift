import Flows

/// The translation `t` of an additive coupling: from the conditioning half `x_a`, one fixed-point
/// prediction per element of the coupled half `x_b`.
///
/// Implementations must be pure integer functions of `condition` (the decoder recomputes them from
/// the same decoded values). A hand-made predictor today; a fixed-point network later.
public protocol IntegerTranslation {
    /// What `t` reads: the already-known half (and anything else known to the decoder).
    associatedtype Condition
    /// Fraction bits of the predictions (`Q` format): `t = prediction / 2^fractionBits`.
    var fractionBits: Int { get }
    /// Writes `t(condition)` for every element of the coupled half into `predictions`
    /// (already sized by the caller to the coupled half's element count).
    func translate(_ condition: Condition, into predictions: inout [Int32])
}

/// IDF's additive integer coupling: `y_b = x_b − round(t(x_a))`, `y_a = x_a`; the inverse adds.
///
/// Cost: 0 bits (volume-preserving). `round(p / 2^f) = (p + 2^(f−1)) >> f` (half rounds up); the
/// same rounding on both sides makes the pair exact whatever `t` returns. Arithmetic wraps, so a
/// hostile `y_b` in `inverse` cannot trap.
public struct AdditiveCoupling<T: IntegerTranslation> {
    /// The translation network / predictor.
    public let translation: T

    public init(translation: T) { self.translation = translation }

    /// `round(t)` for each coupled element, and the raw fixed-point predictions it came from.
    public func roundedTranslation(_ condition: T.Condition, count: Int) -> (rounded: [Int32], fixedPoint: [Int32]) {
        var p = [Int32](repeating: 0, count: count)
        translation.translate(condition, into: &p)
        let f = Int32(translation.fractionBits)
        let half: Int32 = f > 0 ? 1 << (f - 1) : 0
        return (p.map { ($0 &+ half) >> f }, p)
    }

    /// `y_b = x_b − round(t(condition))`.
    public func forward(_ xb: [Int32], given condition: T.Condition) -> [Int32] {
        let t = roundedTranslation(condition, count: xb.count).rounded
        return zip(xb, t).map { $0 &- $1 }
    }

    /// `x_b = y_b + round(t(condition))`.
    public func inverse(_ yb: [Int32], given condition: T.Condition) -> [Int32] {
        let t = roundedTranslation(condition, count: yb.count).rounded
        return zip(yb, t).map { $0 &+ $1 }
    }
}

/// An additive-coupling translation computed by a fixed-point network: element `i`'s prediction
/// is output 0 of the network applied to `condition[i]`, a feature vector the caller gathers
/// (e.g. the decoded neighbours of a pixel). The slot the training issue fills.
public struct NetworkTranslation: IntegerTranslation, Sendable {
    /// The network; its output 0 is the prediction in Q`fractionBits`.
    public let network: FixedPointNetwork
    public let fractionBits: Int

    public init(network: FixedPointNetwork, fractionBits: Int = 8) {
        self.network = network
        self.fractionBits = fractionBits
    }

    public func translate(_ condition: [[Int32]], into predictions: inout [Int32]) {
        precondition(condition.count == predictions.count, "one feature vector per coupled element")
        for i in condition.indices { predictions[i] = network.forward(condition[i])[0] }
    }
}

/// The image codec's hand-made predictor is such a translation (`InterlacedFlow` calls its
/// `analyse` directly; `LayerTests` checks the two agree).
extension InterlacedPredictor: IntegerTranslation {}
