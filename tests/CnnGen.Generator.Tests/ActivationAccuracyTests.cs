using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// <see cref="Kernels"/>, the activation functions generated code calls, against float64 references over the
/// whole float range: about a million values spread evenly over the bit patterns (so every binade, the
/// subnormals and both signs get their share), plus ±0, ±∞, NaN, the largest and smallest floats and the
/// points where the implementations switch method. Every vector width must give the scalar's bits exactly.
/// </summary>
public sealed class ActivationAccuracyTests(ITestOutputHelper output)
{
    /// <summary>One function: the float overloads, its float64 reference and the error it is held to.</summary>
    /// <param name="MaxUlps">Largest error in units in the last place of the correctly rounded result (normal results).</param>
    /// <param name="MaxRelative">Largest relative error (normal results); the largest of the three bounds applies.</param>
    /// <param name="MaxAbsolute">Largest absolute error (for results that cancel, like hard sigmoid's αx + β near 0).</param>
    public sealed record Function(string Name, Func<float, float> Scalar, Func<Vector128<float>, Vector128<float>> V4,
        Func<Vector256<float>, Vector256<float>> V8, Func<Vector512<float>, Vector512<float>> V16, Func<double, double> Reference,
        double MaxUlps, double MaxRelative, double MaxAbsolute = 0);

    /// <summary>The bounds: stated in the README's numerics section; change both together.</summary>
    public static readonly Function[] Functions =
    {
        new("Exp", Kernels.Exp, Kernels.Exp, Kernels.Exp, Kernels.Exp, Math.Exp, 2, 0),
        new("Sigmoid", Kernels.Sigmoid, Kernels.Sigmoid, Kernels.Sigmoid, Kernels.Sigmoid, ReferenceMath.Sigmoid, 3, 0),
        new("Tanh", Kernels.Tanh, Kernels.Tanh, Kernels.Tanh, Kernels.Tanh, Math.Tanh, 3, 0),
        new("Silu", Kernels.Silu, Kernels.Silu, Kernels.Silu, Kernels.Silu, x => x * ReferenceMath.Sigmoid(x), 3, 0),
        new("Gelu", Kernels.Gelu, Kernels.Gelu, Kernels.Gelu, Kernels.Gelu, ReferenceMath.Gelu, 0, 1e-6),
        new("GeluTanh", Kernels.GeluTanh, Kernels.GeluTanh, Kernels.GeluTanh, Kernels.GeluTanh, ReferenceMath.GeluTanh, 4, 2e-5),
        new("Elu", x => Kernels.Elu(x, 1f), x => Kernels.Elu(x, 1f), x => Kernels.Elu(x, 1f), x => Kernels.Elu(x, 1f), x => ReferenceMath.Elu(x, 1), 2, 0),
        new("LeakyRelu", x => Kernels.LeakyRelu(x, 0.25f), x => Kernels.LeakyRelu(x, 0.25f), x => Kernels.LeakyRelu(x, 0.25f), x => Kernels.LeakyRelu(x, 0.25f), x => x < 0 ? 0.25 * x : x, 0.5, 0),
        new("Clip", x => Kernels.Clip(x, -1.5f, 2f), x => Kernels.Clip(x, -1.5f, 2f), x => Kernels.Clip(x, -1.5f, 2f), x => Kernels.Clip(x, -1.5f, 2f), x => Math.Min(Math.Max(x, -1.5), 2), 0, 0),
        new("HardSigmoid", x => Kernels.HardSigmoid(x, 0.2f, 0.5f), x => Kernels.HardSigmoid(x, 0.2f, 0.5f), x => Kernels.HardSigmoid(x, 0.2f, 0.5f), x => Kernels.HardSigmoid(x, 0.2f, 0.5f),
            x => Math.Min(Math.Max((double)0.2f * x + 0.5, 0), 1), 1.5, 0, 6e-8),
        new("HardSwish", Kernels.HardSwish, Kernels.HardSwish, Kernels.HardSwish, Kernels.HardSwish, x => x * Math.Min(Math.Max(x + 3, 0), 6) / 6, 2.5, 0),
    };

    public static IEnumerable<object[]> Names() => Functions.Select(f => new object[] { f.Name });

    /// <summary>The swept inputs: every 4099th bit pattern (both signs, all binades, subnormals, NaNs) and the special values.</summary>
    private static float[] Inputs()
    {
        var values = new List<float>
        {
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon,
            1e-30f, -1e-30f, 0.625f, -0.625f, 88.72f, 88.73f, 89f, -87.3f, -103.9f, -104f, -104.1f, 20f, -20f, 14f, -14f, 30f, -30f,
            -3f, 3f, 6f, -2.5f, 2.5f, 1e7f, -1e7f, 1e13f, -1e13f,
        };
        for (long bits = 0; bits <= uint.MaxValue; bits += 4099)
        {
            values.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }
        // Densely around zero and the usual range of activations, where most values in a network are.
        for (int i = -200_000; i <= 200_000; i++)
        {
            values.Add(i * 1e-4f);
        }
        while (values.Count % 16 != 0)
        {
            values.Add(0f);
        }
        return values.ToArray();
    }

    private static readonly float[] Swept = Inputs();

    /// <summary>The smallest normal float: below it, results are held to an absolute bound.</summary>
    private const float MinNormal = 1.17549435e-38f;

    [Theory]
    [MemberData(nameof(Names))]
    public void Function_IsAccurate_OverTheWholeFloatRange(string name)
    {
        Function f = Functions.Single(x => x.Name == name);
        double worstUlps = 0, worstRelative = 0;
        float worstAt = 0;
        var failures = new List<string>();
        foreach (float x in Swept)
        {
            float actual = f.Scalar(x);
            double reference = f.Reference(x);
            if (double.IsNaN(reference) || float.IsNaN(actual))
            {
                if (!(double.IsNaN(reference) && float.IsNaN(actual)))
                {
                    failures.Add($"{name}({x:R}) = {actual:R}, should be {reference:R}");
                }
                continue;
            }
            float rounded = (float)reference;
            if (float.IsInfinity(rounded) || float.IsInfinity(actual) || Math.Abs(rounded) < MinNormal)
            {
                // Infinite results exactly; zero and subnormal results within two of the smallest subnormal plus the
                // function's relative bound (a subnormal has fewer bits than the ulp bound assumes).
                bool ok = float.IsInfinity(rounded) || float.IsInfinity(actual)
                    ? actual == rounded
                    : Math.Abs(actual - reference) <= 2 * (double)float.Epsilon + Math.Max(f.MaxRelative, f.MaxUlps * Math.Pow(2, -23)) * Math.Abs(reference);
                if (!ok)
                {
                    failures.Add($"{name}({x:R}) = {actual:R}, should be {reference:R}");
                }
                continue;
            }
            double ulp = (double)MathF.BitIncrement(Math.Abs(rounded)) - Math.Abs(rounded);
            double ulps = Math.Abs(actual - reference) / ulp;
            double relative = Math.Abs(actual - reference) / Math.Abs(reference);
            if (ulps > worstUlps)
            {
                (worstUlps, worstAt) = (ulps, x);
            }
            worstRelative = Math.Max(worstRelative, relative);
            if (ulps > f.MaxUlps && relative > f.MaxRelative && Math.Abs(actual - reference) > f.MaxAbsolute && failures.Count < 20)
            {
                failures.Add($"{name}({x:R}) = {actual:R}, should be {reference:R}: {ulps:F2} ulp, {relative:E2} relative");
            }
        }
        output.WriteLine($"{name}: {Swept.Length:N0} values, worst {worstUlps:F2} ulp (at {worstAt:R}), worst relative error {worstRelative:E2}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryVectorWidth_GivesTheScalarsBits(string name)
    {
        Function f = Functions.Single(x => x.Name == name);
        for (int i = 0; i < Swept.Length; i += 16)
        {
            ReadOnlySpan<float> x = Swept.AsSpan(i, 16);
            var expected = new float[16];
            for (int k = 0; k < 16; k++)
            {
                expected[k] = f.Scalar(x[k]);
            }
            float[] v4 = new float[16], v8 = new float[16], v16 = new float[16];
            for (int k = 0; k < 16; k += 4)
            {
                f.V4(Vector128.Create(x.Slice(k, 4))).CopyTo(v4, k);
            }
            for (int k = 0; k < 16; k += 8)
            {
                f.V8(Vector256.Create(x.Slice(k, 8))).CopyTo(v8, k);
            }
            f.V16(Vector512.Create(x)).CopyTo(v16, 0);
            for (int k = 0; k < 16; k++)
            {
                int bits = BitConverter.SingleToInt32Bits(expected[k]);
                bool same = float.IsNaN(expected[k])
                    ? float.IsNaN(v4[k]) && float.IsNaN(v8[k]) && float.IsNaN(v16[k])
                    : bits == BitConverter.SingleToInt32Bits(v4[k]) && bits == BitConverter.SingleToInt32Bits(v8[k]) && bits == BitConverter.SingleToInt32Bits(v16[k]);
                Assert.True(same, $"{name}({x[k]:R}): scalar {expected[k]:R}, 128-bit {v4[k]:R}, 256-bit {v8[k]:R}, 512-bit {v16[k]:R}");
            }
        }
    }

    /// <summary>
    /// The in-place passes generated code calls after a conv (<see cref="Kernels.SiluInPlace"/>, …) give the bits of the
    /// activation they apply, on a dense volume and on the interior of a bordered one (the border left as it was): the
    /// AVX-512 pass has its own loop for SiLU and sigmoid. The inputs: the swept values (±0, ±∞, NaN, the far negative
    /// tail) and [−100, 100] in steps of 0.01, in a volume of odd sizes so every tail of the loops runs.
    /// </summary>
    [Theory]
    [InlineData("Silu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    public void InPlacePass_GivesTheFunctionsBits(string name)
    {
        Function f = Functions.Single(x => x.Name == name);
        // The special values (Swept's first 35), then every 7th swept value: the scalar child of InstructionSetTests is slow.
        var values = new List<float>(Swept.Take(35));
        for (int i = 35; i < Swept.Length; i += 7)
        {
            values.Add(Swept[i]);
        }
        for (int i = -10_000; i <= 10_000; i++)
        {
            values.Add(i * 1e-2f);
        }
        // Dense: one run of every value, then planes of 13 × 5 (rows 17 apart, planes 17 × 7 apart) inside borders.
        float[] dense = values.ToArray();
        Pass(name, ref dense[0], dense.Length, 1, 1, dense.Length, dense.Length);
        for (int i = 0; i < dense.Length; i++)
        {
            AssertSame(f.Scalar(values[i]), dense[i], values[i]);
        }
        const int width = 13, height = 5, rowStride = 17, planeStride = 17 * 7;
        int depth = values.Count / (width * height);
        var bordered = new float[depth * planeStride];
        for (int i = 0; i < bordered.Length; i++)
        {
            bordered[i] = -200f - i % 7; // in the far tail: a pass that touched the border would change it
        }
        for (int i = 0; i < depth * width * height; i++)
        {
            int c = i / (width * height), y = i / width % height, x = i % width;
            bordered[c * planeStride + y * rowStride + x] = values[i];
        }
        float[] before = (float[])bordered.Clone();
        Pass(name, ref bordered[0], width, height, depth, rowStride, planeStride);
        for (int i = 0; i < bordered.Length; i++)
        {
            int c = i / planeStride, y = i % planeStride / rowStride, x = i % rowStride;
            bool inside = y < height && x < width;
            AssertSame(inside ? f.Scalar(before[i]) : before[i], bordered[i], before[i]);
        }
    }

    private static void Pass(string name, ref float start, int width, int height, int depth, int rowStride, int planeStride)
    {
        switch (name)
        {
            case "Silu":
                Kernels.SiluInPlace(ref start, width, height, depth, rowStride, planeStride);
                break;
            case "Sigmoid":
                Kernels.SigmoidInPlace(ref start, width, height, depth, rowStride, planeStride);
                break;
            default:
                Kernels.TanhInPlace(ref start, width, height, depth, rowStride, planeStride);
                break;
        }
    }

    private static void AssertSame(float expected, float actual, float input)
    {
        bool same = float.IsNaN(expected) ? float.IsNaN(actual) : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);
        Assert.True(same, $"f({input:R}): {actual:R}, should be {expected:R}");
    }

    [Fact]
    public void EdgeValues_BehaveAsInPyTorch()
    {
        Assert.Equal(1f, Kernels.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, Kernels.Sigmoid(float.NegativeInfinity));
        Assert.Equal(0.5f, Kernels.Sigmoid(-0f));
        Assert.Equal(1f, Kernels.Sigmoid(100f));
        Assert.True(Kernels.Sigmoid(-100f) is > 0f and < 1e-43f); // e^−100, not flushed to zero
        Assert.Equal(1f, Kernels.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, Kernels.Tanh(float.NegativeInfinity));
        Assert.Equal(-1f, Kernels.Tanh(-1000f));
        Assert.True(float.IsNegative(Kernels.Tanh(-0f)) && Kernels.Tanh(-0f) == 0);
        Assert.Equal(float.PositiveInfinity, Kernels.Exp(float.PositiveInfinity));
        Assert.Equal(0f, Kernels.Exp(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, Kernels.Exp(1000f));
        Assert.Equal(float.PositiveInfinity, Kernels.Silu(float.PositiveInfinity));
        Assert.Equal(float.PositiveInfinity, Kernels.Gelu(float.PositiveInfinity));
        Assert.Equal(float.PositiveInfinity, Kernels.GeluTanh(float.PositiveInfinity));
        // −∞ · sigmoid(−∞) and −∞ · Φ(−∞) are −∞ · 0: NaN in PyTorch too.
        Assert.True(float.IsNaN(Kernels.Silu(float.NegativeInfinity)));
        Assert.True(float.IsNaN(Kernels.Gelu(float.NegativeInfinity)));
        Assert.Equal(-0f, Kernels.Gelu(-100f)); // underflows to −0, never NaN
        Assert.Equal(-0f, Kernels.Silu(-1000f));
        Assert.Equal(-1f, Kernels.Elu(float.NegativeInfinity, 1f));
        Assert.Equal(float.PositiveInfinity, Kernels.Elu(float.PositiveInfinity, 1f));
        Assert.Equal(6f, Kernels.Clip(float.PositiveInfinity, 0f, 6f));
        Assert.Equal(0f, Kernels.HardSigmoid(float.NegativeInfinity, 1f / 6, 0.5f));
        foreach (Function f in Functions)
        {
            Assert.True(float.IsNaN(f.Scalar(float.NaN)), $"{f.Name}(NaN) is not NaN");
            Assert.True(float.IsNaN(f.V8(Vector256.Create(float.NaN)).GetElement(3)), $"{f.Name}(NaN) is not NaN on 256-bit vectors");
        }
    }
}
