/// `⌊a / b⌋` for `b > 0` (Swift's `/` truncates toward zero).
@inline(__always) func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b < 0) ? q - 1 : q
}
