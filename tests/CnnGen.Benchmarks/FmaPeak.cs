using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Benchmarks;

/// <summary>
/// The machine's single-thread FMA limit, measured: independent chains of fused multiply-adds on
/// registers only, enough of them to hide the FMA latency (4 cycles × 2 pipes needs ≥ 8 chains).
/// </summary>
public static class FmaPeak
{
    /// <summary>Loop iterations of one <see cref="Avx2x12"/> call.</summary>
    public const int Iterations = 100_000;

    /// <summary>FLOPs of one <see cref="Avx2x12"/> call: iterations × 12 chains × 8 lanes × 2.</summary>
    public const double Avx2Flops = Iterations * 12.0 * 8 * 2;

    /// <summary>FLOPs of one <see cref="Avx512x16"/> call: iterations × 16 chains × 16 lanes × 2.</summary>
    public const double Avx512Flops = Iterations * 16.0 * 16 * 2;

    /// <summary>12 independent Vector256 <c>Fma.MultiplyAdd</c> chains (16 ymm registers available).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Avx2x12(float seed)
    {
        if (!Fma.IsSupported)
        {
            throw new PlatformNotSupportedException("No FMA3 on this CPU.");
        }
        Vector256<float> a = Vector256.Create(0.999999f), b = Vector256.Create(seed * 1e-7f);
        Vector256<float> c0 = Vector256.Create(seed), c1 = c0 + b, c2 = c1 + b, c3 = c2 + b, c4 = c3 + b, c5 = c4 + b;
        Vector256<float> c6 = c5 + b, c7 = c6 + b, c8 = c7 + b, c9 = c8 + b, c10 = c9 + b, c11 = c10 + b;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, a, b);
            c1 = Fma.MultiplyAdd(c1, a, b);
            c2 = Fma.MultiplyAdd(c2, a, b);
            c3 = Fma.MultiplyAdd(c3, a, b);
            c4 = Fma.MultiplyAdd(c4, a, b);
            c5 = Fma.MultiplyAdd(c5, a, b);
            c6 = Fma.MultiplyAdd(c6, a, b);
            c7 = Fma.MultiplyAdd(c7, a, b);
            c8 = Fma.MultiplyAdd(c8, a, b);
            c9 = Fma.MultiplyAdd(c9, a, b);
            c10 = Fma.MultiplyAdd(c10, a, b);
            c11 = Fma.MultiplyAdd(c11, a, b);
        }
        Vector256<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector256.Sum(sum);
    }

    /// <summary>16 independent Vector512 FMA chains; only meaningful where <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Avx512x16(float seed)
    {
        if (!Avx512F.IsSupported)
        {
            throw new PlatformNotSupportedException("No AVX-512 on this CPU.");
        }
        Vector512<float> a = Vector512.Create(0.999999f), b = Vector512.Create(seed * 1e-7f);
        Vector512<float> c0 = Vector512.Create(seed), c1 = c0 + b, c2 = c1 + b, c3 = c2 + b, c4 = c3 + b, c5 = c4 + b, c6 = c5 + b, c7 = c6 + b;
        Vector512<float> c8 = c7 + b, c9 = c8 + b, c10 = c9 + b, c11 = c10 + b, c12 = c11 + b, c13 = c12 + b, c14 = c13 + b, c15 = c14 + b;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, a, b);
            c1 = Avx512F.FusedMultiplyAdd(c1, a, b);
            c2 = Avx512F.FusedMultiplyAdd(c2, a, b);
            c3 = Avx512F.FusedMultiplyAdd(c3, a, b);
            c4 = Avx512F.FusedMultiplyAdd(c4, a, b);
            c5 = Avx512F.FusedMultiplyAdd(c5, a, b);
            c6 = Avx512F.FusedMultiplyAdd(c6, a, b);
            c7 = Avx512F.FusedMultiplyAdd(c7, a, b);
            c8 = Avx512F.FusedMultiplyAdd(c8, a, b);
            c9 = Avx512F.FusedMultiplyAdd(c9, a, b);
            c10 = Avx512F.FusedMultiplyAdd(c10, a, b);
            c11 = Avx512F.FusedMultiplyAdd(c11, a, b);
            c12 = Avx512F.FusedMultiplyAdd(c12, a, b);
            c13 = Avx512F.FusedMultiplyAdd(c13, a, b);
            c14 = Avx512F.FusedMultiplyAdd(c14, a, b);
            c15 = Avx512F.FusedMultiplyAdd(c15, a, b);
        }
        Vector512<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return Vector512.Sum(sum);
    }

    /// <summary>The widest kernel this machine accelerates, its name and FLOPs per call.</summary>
    public static (string Name, Func<float, float> Kernel, double Flops) Widest =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported
            ? ("Vector512 × 16 chains", Avx512x16, Avx512Flops)
            : ("Vector256 × 12 chains", Avx2x12, Avx2Flops);

    /// <summary>Quick in-process measurement (best of several runs), in GFLOP/s.</summary>
    public static double MeasureGflops(int runs = 200)
    {
        var (_, kernel, flops) = Widest;
        float sink = 0;
        for (int i = 0; i < 20; i++)
        {
            sink += kernel(i);
        }
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += kernel(i);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        GC.KeepAlive(sink);
        return flops / best / 1e9;
    }
}
