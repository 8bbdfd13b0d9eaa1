#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba) over a flat parameter vector, with a learning-rate schedule: linear warm-up
/// over `warmup` steps, then cosine decay to `floor × rate` at `totalSteps`.
public struct Adam: Sendable, Equatable {
    /// Peak learning rate.
    public var rate: Float
    /// Moment decay rates and the denominator's guard.
    public var beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    /// Steps of linear warm-up, and the step where the cosine decay ends.
    public var warmup: Int
    public var totalSteps: Int
    /// The final learning rate, as a fraction of `rate`.
    public var floor: Float = 0.05
    /// First and second moment estimates.
    public var m: [Float], v: [Float]
    /// Steps taken.
    public var step = 0

    /// An optimizer for `parameterCount` parameters, moments at 0.
    public init(parameterCount: Int, rate: Float, warmup: Int, totalSteps: Int) {
        self.rate = rate
        self.warmup = warmup
        self.totalSteps = totalSteps
        m = [Float](repeating: 0, count: parameterCount)
        v = m
    }

    /// The learning rate of step `t` (0-based).
    public func rate(at t: Int) -> Float {
        if t < warmup { return rate * Float(t + 1) / Float(warmup) }
        let progress = min(1, Float(t - warmup) / Float(max(1, totalSteps - warmup)))
        return rate * (floor + (1 - floor) * 0.5 * (1 + cos(.pi * progress)))
    }

    /// One update of `parameters` along `gradient`.
    public mutating func update(_ parameters: inout [Float], gradient g: [Float]) {
        let lr = rate(at: step)
        step += 1
        let c1 = 1 - pow(beta1, Float(step)), c2 = 1 - pow(beta2, Float(step))
        for i in parameters.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            parameters[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
        }
    }
}
