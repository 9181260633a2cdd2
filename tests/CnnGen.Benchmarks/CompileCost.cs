namespace CnnGen.Benchmarks;
public static class CompileCost { public static int Run() => 0; }
