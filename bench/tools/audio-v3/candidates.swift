// The candidate stages of bench/results/audio-v3.md (a: cross-channel taps, b: a short cascade stage,
// c: bias cancellation), as they were measured: scalar code added to a copy of the version 2 sources
// built with payload-sizes.swift, the encoder calling `experimentalStages(&latents)` after its
// adaptive filter (before the prior's contexts). Encoder only: sizes, no decoder. Environment:
// N own taps, K cross-channel taps (channel 1 sees channel 0's final latents at lags 0..K-1), STEP (Q12),
// BIAS context set (1: level/4 x sign(z-1) x sign(z-2); 2: signs only; 3: level only; 4: level x sign(z-1)).
// The scaled-step filter itself was first measured as a patch of SaturatingSignLMS (MAC=2 DECAY=1 BASE=8
// ORDER=...) and a cascade of such filters (STAGES=order:base,...), then as ScaledSignLMS.
import Foundation
let env = ProcessInfo.processInfo.environment
func ei(_ k: String, _ d: Int) -> Int { env[k].flatMap { Int($0) } ?? d }

/// Scalar sign-sign LMS over own history (N taps) and other-channel values (K taps, lags 0..K-1).
struct ExpStage {
    var n: Int, k: Int, step: Int32, shift: Int32, fb: Int
    var w: [Int32], h: [Int32]
    init(n: Int, k: Int, step: Int, shift: Int, fb: Int = 12) {
        self.n = n; self.k = k; self.step = Int32(step); self.shift = Int32(shift); self.fb = fb
        w = [Int32](repeating: 0, count: n + k); h = [Int32](repeating: 0, count: n + k)
    }
    @inline(__always) func sat(_ v: Int32) -> Int32 { min(max(v >> shift, -32768), 32767) }
    mutating func forward(_ e: Int32, other: UnsafePointer<Int32>?, at i: Int) -> Int32 {
        // cross features
        if k > 0, let o = other { for j in 0..<k { h[n + j] = i - j >= 0 ? sat(o[i - j]) : 0 } }
        var sum: Int64 = 0
        for j in 0..<(n + k) { sum &+= Int64(w[j]) * Int64(h[j]) }
        let z = e &- Int32(truncatingIfNeeded: (sum << Int64(shift)) >> Int64(fb))
        if z != 0 {
            let s: Int32 = z > 0 ? step : -step
            for j in 0..<(n + k) { let hs: Int32 = h[j] > 0 ? 1 : (h[j] < 0 ? -1 : 0); w[j] = min(max(w[j] + s * hs, -16384), 16384) }
        }
        if n > 0 {
            for j in stride(from: n - 1, to: 0, by: -1) { h[j] = h[j - 1] }
            h[0] = sat(e)
        }
        return z
    }
}

func expEst(_ z: [Int32]) -> UInt64 { AudioFlowEncoder.estimatedBits(z) }

func experimentalStages(_ latents: inout [[Int32]]) {
    let n = ei("N", 0), k = ei("K", 0), step = ei("STEP", 4), fb = ei("FB", 12)
    if n > 0 || k > 0 {
        for c in latents.indices {
            let kk = c == 1 ? k : 0
            if n == 0 && kk == 0 { continue }
            let count = UInt64(max(latents[c].count, 1))
            let mean = latents[c].reduce(UInt64(0)) { $0 &+ UInt64($1.magnitude) } / count
            let shift = SaturatingSignLMS.inputShift(meanMagnitude: mean) + ei("SHADJ", 0)
            var st = ExpStage(n: n, k: kk, step: step, shift: max(0, shift), fb: fb)
            let before = expEst(latents[c])
            var out = latents[c]
            let other = c == 1 ? latents[0] : []
            other.withUnsafeBufferPointer { o in
                for i in out.indices { out[i] = st.forward(latents[c][i], other: kk > 0 ? o.baseAddress : nil, at: i) }
            }
            if expEst(out) < before || env["FORCE"] != nil { latents[c] = out }
        }
    }
    if ei("BIAS", 0) > 0 { bias(&latents) }
}

func bias(_ latents: inout [[Int32]]) {
    let mode = ei("BIAS", 0), halving = Int32(ei("HALV", 128))
    for c in latents.indices {
        var sums = [Int32](repeating: 0, count: 4096), counts = [Int32](repeating: 0, count: 4096)
        var ctx = ScaleContext()
        var p1: Int32 = 0, p2: Int32 = 0
        var out = latents[c]
        for i in out.indices {
            let y = latents[c][i]
            func sg(_ v: Int32) -> Int { v > 0 ? 2 : (v < 0 ? 0 : 1) }
            var cx = 0
            switch mode {
            case 1: cx = min(ctx.bucket / 4, 15) * 9 + sg(p1) * 3 + sg(p2)
            case 2: cx = sg(p1) * 3 + sg(p2)
            case 3: cx = min(ctx.bucket / 4, 15)
            default: cx = min(ctx.bucket / 4, 15) * 3 + sg(p1)
            }
            let nn = counts[cx]
            var corr: Int32 = 0
            if nn > 0 { let a = sums[cx] &+ nn >> 1; let q = a / nn; corr = (a % nn < 0 ? q - 1 : q) }
            corr = corr >> 4  // sums in Q4
            let z = y &- corr
            out[i] = z
            sums[cx] &+= min(max(y << 4, -(1 << 23)), 1 << 23)
            counts[cx] += 1
            if counts[cx] >= halving { sums[cx] >>= 1; counts[cx] >>= 1 }
            ctx.update(z)
            p2 = p1; p1 = y
        }
        if expEst(out) < expEst(latents[c]) || env["FORCE"] != nil { latents[c] = out }
    }
}
