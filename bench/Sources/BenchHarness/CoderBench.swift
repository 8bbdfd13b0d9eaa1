/// Measures the rANS coder: overhead against the ideal code length, and speed. (Issue 4.)
public enum CoderBench {
    public static func main(_ arguments: [String]) {
        print("coder benchmark: not written yet")
    }
}
