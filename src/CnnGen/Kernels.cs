using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// Element-wise activation functions for the code CnnGen generates: its kernels call these on each value, or on a
/// whole vector of values, just before they store it (a fused epilogue). Not meant to be called by hand; the
/// overloads for <see langword="float"/> and for 128-, 256- and 512-bit vectors compute the same numbers (one
/// implementation, see the remarks), so a network gives the same outputs on every instruction set.
/// </summary>
/// <remarks>
/// Accuracy against float64 over the whole float range (checked by the generator tests' ActivationAccuracyTests): exp,
/// sigmoid, SiLU, tanh, ELU and hard swish within 3 ulp; GELU within 1e-6 relative; GELU's tanh form within 4 ulp except
/// in its negative tail (up to 2e-5 relative, from rounding its argument to float, as PyTorch's float kernel does). NaN stays NaN; ±0 and ±∞ give the limits
/// PyTorch gives (sigmoid(−∞) = 0, tanh(±∞) = ±1, tanh(−0) = −0); large arguments saturate or underflow, never
/// overflow to NaN. SiLU and GELU of −∞ are NaN (−∞ · 0), as in PyTorch.
/// <para>
/// The functions with an exponential (exp, sigmoid, tanh, SiLU, GELU, ELU) are never inlined: inlined into a large
/// kernel, their dozens of lane operations exhaust the JIT's inlining budget and would stay calls each; one call per
/// stored vector, with every operation inlined inside it, is far cheaper (and they are compiled fully optimized on their
/// first call, like the kernels). The others are always inlined.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Kernels
{
    /// <summary>e^x (about 2 ulp; +∞ above 88.72, 0 below −103.97).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Exp(float x) => ActivationMath.Exp(new Lane1(x)).Value;

    /// <summary>e^x (about 2 ulp; +∞ above 88.72, 0 below −103.97). Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> Exp(Vector128<float> x) => ActivationMath.Exp(new Lane4(x)).Value;

    /// <summary>e^x (about 2 ulp; +∞ above 88.72, 0 below −103.97). Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Exp(Vector256<float> x) => ActivationMath.Exp(new Lane8(x)).Value;

    /// <summary>e^x (about 2 ulp; +∞ above 88.72, 0 below −103.97). Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Exp(Vector512<float> x) => ActivationMath.Exp(new Lane16(x)).Value;

    /// <summary>Logistic sigmoid, 1 / (1 + e^−x).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Sigmoid(float x) => ActivationMath.Sigmoid(new Lane1(x)).Value;

    /// <summary>Logistic sigmoid, 1 / (1 + e^−x). Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => ActivationMath.Sigmoid(new Lane4(x)).Value;

    /// <summary>Logistic sigmoid, 1 / (1 + e^−x). Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => ActivationMath.Sigmoid(new Lane8(x)).Value;

    /// <summary>Logistic sigmoid, 1 / (1 + e^−x). Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => ActivationMath.Sigmoid(new Lane16(x)).Value;

    /// <summary>Hyperbolic tangent.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Tanh(float x) => ActivationMath.Tanh(new Lane1(x)).Value;

    /// <summary>Hyperbolic tangent. Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> Tanh(Vector128<float> x) => ActivationMath.Tanh(new Lane4(x)).Value;

    /// <summary>Hyperbolic tangent. Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Tanh(Vector256<float> x) => ActivationMath.Tanh(new Lane8(x)).Value;

    /// <summary>Hyperbolic tangent. Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Tanh(Vector512<float> x) => ActivationMath.Tanh(new Lane16(x)).Value;

    /// <summary>SiLU (swish), x · sigmoid(x).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Silu(float x) => ActivationMath.TimesSigmoid(new Lane1(x), new Lane1(x)).Value;

    /// <summary>SiLU (swish), x · sigmoid(x). Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> Silu(Vector128<float> x) => ActivationMath.TimesSigmoid(new Lane4(x), new Lane4(x)).Value;

    /// <summary>SiLU (swish), x · sigmoid(x). Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Silu(Vector256<float> x) => ActivationMath.TimesSigmoid(new Lane8(x), new Lane8(x)).Value;

    /// <summary>SiLU (swish), x · sigmoid(x). Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Silu(Vector512<float> x) => ActivationMath.TimesSigmoid(new Lane16(x), new Lane16(x)).Value;

    /// <summary>GELU, exact form x·Φ(x) = x/2 · (1 + erf(x/√2)).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Gelu(float x) => ActivationMath.Gelu(new Lane1(x)).Value;

    /// <summary>GELU, exact form x·Φ(x) = x/2 · (1 + erf(x/√2)). Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> Gelu(Vector128<float> x) => ActivationMath.Gelu(new Lane4(x)).Value;

    /// <summary>GELU, exact form x·Φ(x) = x/2 · (1 + erf(x/√2)). Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Gelu(Vector256<float> x) => ActivationMath.Gelu(new Lane8(x)).Value;

    /// <summary>GELU, exact form x·Φ(x) = x/2 · (1 + erf(x/√2)). Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Gelu(Vector512<float> x) => ActivationMath.Gelu(new Lane16(x)).Value;

    /// <summary>GELU's tanh approximation, x/2 · (1 + tanh(√(2/π)·(x + 0.044715x³))).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float GeluTanh(float x) => ActivationMath.GeluTanh(new Lane1(x)).Value;

    /// <summary>GELU's tanh approximation, x/2 · (1 + tanh(√(2/π)·(x + 0.044715x³))). Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> GeluTanh(Vector128<float> x) => ActivationMath.GeluTanh(new Lane4(x)).Value;

    /// <summary>GELU's tanh approximation, x/2 · (1 + tanh(√(2/π)·(x + 0.044715x³))). Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> GeluTanh(Vector256<float> x) => ActivationMath.GeluTanh(new Lane8(x)).Value;

    /// <summary>GELU's tanh approximation, x/2 · (1 + tanh(√(2/π)·(x + 0.044715x³))). Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> GeluTanh(Vector512<float> x) => ActivationMath.GeluTanh(new Lane16(x)).Value;

    /// <summary>ELU, x &gt; 0 ? x : alpha·(e^x − 1).</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Scale of the negative part.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Elu(float x, float alpha) => ActivationMath.Elu(new Lane1(x), Lane1.Of(alpha)).Value;

    /// <summary>ELU, x &gt; 0 ? x : alpha·(e^x − 1). Every lane of a 128-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Scale of the negative part.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<float> Elu(Vector128<float> x, float alpha) => ActivationMath.Elu(new Lane4(x), Lane4.Of(alpha)).Value;

    /// <summary>ELU, x &gt; 0 ? x : alpha·(e^x − 1). Every lane of a 256-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Scale of the negative part.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Elu(Vector256<float> x, float alpha) => ActivationMath.Elu(new Lane8(x), Lane8.Of(alpha)).Value;

    /// <summary>ELU, x &gt; 0 ? x : alpha·(e^x − 1). Every lane of a 512-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Scale of the negative part.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<float> Elu(Vector512<float> x, float alpha) => ActivationMath.Elu(new Lane16(x), Lane16.Of(alpha)).Value;

    /// <summary>Leaky ReLU (and PReLU with one channel's slope), x ≥ 0 ? x : slope·x.</summary>
    /// <param name="x">The input.</param>
    /// <param name="slope">Slope for negative inputs.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyRelu(float x, float slope) => ActivationMath.LeakyRelu(new Lane1(x), Lane1.Of(slope)).Value;

    /// <summary>Leaky ReLU (and PReLU with one channel's slope), x ≥ 0 ? x : slope·x. Every lane of a 128-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="slope">Slope for negative inputs.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LeakyRelu(Vector128<float> x, float slope) => ActivationMath.LeakyRelu(new Lane4(x), Lane4.Of(slope)).Value;

    /// <summary>Leaky ReLU (and PReLU with one channel's slope), x ≥ 0 ? x : slope·x. Every lane of a 256-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="slope">Slope for negative inputs.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LeakyRelu(Vector256<float> x, float slope) => ActivationMath.LeakyRelu(new Lane8(x), Lane8.Of(slope)).Value;

    /// <summary>Leaky ReLU (and PReLU with one channel's slope), x ≥ 0 ? x : slope·x. Every lane of a 512-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="slope">Slope for negative inputs.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LeakyRelu(Vector512<float> x, float slope) => ActivationMath.LeakyRelu(new Lane16(x), Lane16.Of(slope)).Value;

    /// <summary>x clamped to [min, max].</summary>
    /// <param name="x">The input.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Clip(float x, float min, float max) => ActivationMath.Clip(new Lane1(x), Lane1.Of(min), Lane1.Of(max)).Value;

    /// <summary>x clamped to [min, max]. Every lane of a 128-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clip(Vector128<float> x, float min, float max) => ActivationMath.Clip(new Lane4(x), Lane4.Of(min), Lane4.Of(max)).Value;

    /// <summary>x clamped to [min, max]. Every lane of a 256-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clip(Vector256<float> x, float min, float max) => ActivationMath.Clip(new Lane8(x), Lane8.Of(min), Lane8.Of(max)).Value;

    /// <summary>x clamped to [min, max]. Every lane of a 512-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clip(Vector512<float> x, float min, float max) => ActivationMath.Clip(new Lane16(x), Lane16.Of(min), Lane16.Of(max)).Value;

    /// <summary>Hard sigmoid, max(0, min(1, alpha·x + beta)).</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Slope.</param>
    /// <param name="beta">Offset.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSigmoid(float x, float alpha, float beta) => ActivationMath.Clip(new Lane1(x) * Lane1.Of(alpha) + Lane1.Of(beta), Lane1.Of(0f), Lane1.Of(1f)).Value;

    /// <summary>Hard sigmoid, max(0, min(1, alpha·x + beta)). Every lane of a 128-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Slope.</param>
    /// <param name="beta">Offset.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HardSigmoid(Vector128<float> x, float alpha, float beta) => ActivationMath.Clip(new Lane4(x) * Lane4.Of(alpha) + Lane4.Of(beta), Lane4.Of(0f), Lane4.Of(1f)).Value;

    /// <summary>Hard sigmoid, max(0, min(1, alpha·x + beta)). Every lane of a 256-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Slope.</param>
    /// <param name="beta">Offset.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> HardSigmoid(Vector256<float> x, float alpha, float beta) => ActivationMath.Clip(new Lane8(x) * Lane8.Of(alpha) + Lane8.Of(beta), Lane8.Of(0f), Lane8.Of(1f)).Value;

    /// <summary>Hard sigmoid, max(0, min(1, alpha·x + beta)). Every lane of a 512-bit vector.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">Slope.</param>
    /// <param name="beta">Offset.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> HardSigmoid(Vector512<float> x, float alpha, float beta) => ActivationMath.Clip(new Lane16(x) * Lane16.Of(alpha) + Lane16.Of(beta), Lane16.Of(0f), Lane16.Of(1f)).Value;

    /// <summary>Hard swish, x · min(max(x + 3, 0), 6) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HardSwish(float x) => x * (ActivationMath.Clip(new Lane1(x) + Lane1.Of(3f), Lane1.Of(0f), Lane1.Of(6f)).Value * (1f / 6f));

    /// <summary>Hard swish, x · min(max(x + 3, 0), 6) / 6. Every lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HardSwish(Vector128<float> x) => x * (ActivationMath.Clip(new Lane4(x) + Lane4.Of(3f), Lane4.Of(0f), Lane4.Of(6f)).Value * (1f / 6f));

    /// <summary>Hard swish, x · min(max(x + 3, 0), 6) / 6. Every lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> HardSwish(Vector256<float> x) => x * (ActivationMath.Clip(new Lane8(x) + Lane8.Of(3f), Lane8.Of(0f), Lane8.Of(6f)).Value * (1f / 6f));

    /// <summary>Hard swish, x · min(max(x + 3, 0), 6) / 6. Every lane of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> HardSwish(Vector512<float> x) => x * (ActivationMath.Clip(new Lane16(x) + Lane16.Of(3f), Lane16.Of(0f), Lane16.Of(6f)).Value * (1f / 6f));

    // In-place passes over a volume a kernel has just written (element (c, y, x) at start + c·planeStride + y·rowStride + x,
    // the interior of a bordered buffer or a dense volume): the generated code calls these after a conv or fully
    // connected kernel instead of calling an activation on every stored vector (see ActivationPass for why and how much).

    /// <summary>SiLU of every value of a volume, in place; values between its rows and planes are left as they are.</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    public static void SiluInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride) =>
        ActivationPass.Run(default(SiluActivation), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>Sigmoid of every value of a volume, in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    public static void SigmoidInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride) =>
        ActivationPass.Run(default(SigmoidActivation), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>tanh of every value of a volume, in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    public static void TanhInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride) =>
        ActivationPass.Run(default(TanhActivation), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>GELU (exact form) of every value of a volume, in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    public static void GeluInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride) =>
        ActivationPass.Run(default(GeluActivation), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>GELU (tanh form) of every value of a volume, in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    public static void GeluTanhInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride) =>
        ActivationPass.Run(default(GeluTanhActivation), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>ELU of every value of a volume, in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    /// <param name="alpha">Scale of the negative part.</param>
    public static void EluInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride, float alpha) =>
        ActivationPass.Run(new EluActivation(alpha), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>Clip of every value of a volume to [<paramref name="min"/>, <paramref name="max"/>], in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    public static void ClipInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride, float min, float max) =>
        ActivationPass.Run(new ClipActivation(min, max), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>Hard swish of every value of a volume, in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    public static void HardSwishInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride) =>
        ActivationPass.Run(default(HardSwishActivation), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>Hard sigmoid of every value of a volume, clip(alpha · x + beta, 0, 1), in place (see <see cref="SiluInPlace"/>).</summary>
    /// <param name="start">Element (0, 0, 0).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="height">Rows per plane.</param>
    /// <param name="depth">Planes (channels).</param>
    /// <param name="rowStride">Distance from a row to the next.</param>
    /// <param name="planeStride">Distance from a plane to the next.</param>
    /// <param name="alpha">Slope.</param>
    /// <param name="beta">Offset.</param>
    public static void HardSigmoidInPlace(ref float start, int width, int height, int depth, int rowStride, int planeStride, float alpha, float beta) =>
        ActivationPass.Run(new HardSigmoidActivation(alpha, beta), ref start, width, height, depth, rowStride, planeStride);

    /// <summary>
    /// The four floats at <paramref name="source"/> + <paramref name="offset"/>, + 2, + 4 and + 6 (the input columns of a
    /// stride-2 convolution's four outputs), for the kernels' portable path: loads at offset and offset + 3, reading
    /// nothing past the last of them, and one shuffle of each and a blend.
    /// </summary>
    /// <param name="source">The row.</param>
    /// <param name="offset">Where the first column is.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadEvenColumns(ref float source, nuint offset)
    {
        Vector128<float> low = Vector128.LoadUnsafe(ref source, offset); // columns 0 1 2 3
        Vector128<float> high = Vector128.LoadUnsafe(ref source, offset + 3); // columns 3 4 5 6
        return Vector128.ConditionalSelect(
            Vector128.Create(0, 0, -1, -1).AsSingle(),
            Vector128.Shuffle(high, Vector128.Create(1, 3, 1, 3)),
            Vector128.Shuffle(low, Vector128.Create(0, 2, 0, 2)));
    }

    /// <summary>
    /// Splits one channel's padded plane into its four phases for a stride-2 depthwise kernel: input (r, c) goes to
    /// phase (r mod 2, c mod 2), row r / 2, column c / 2; the phases lie <paramref name="phaseSize"/> apart (phase
    /// 2·(r mod 2) + (c mod 2)), their rows <paramref name="phaseRowStride"/> apart. Reads only rows below
    /// <paramref name="rows"/> and columns below <paramref name="columns"/>, split by vectors of 32, 16 or 8 columns
    /// (AVX-512, AVX2, SSE or Arm64) while they end within <paramref name="readable"/>, the rest one value at a time. A
    /// vector may read past a row's last column (into the next row) and write up to 15 values past a phase's row:
    /// into its next row, which a later row overwrites, or past the last row, so each phase needs 16 floats to spare.
    /// </summary>
    /// <param name="plane">The channel's first padded row.</param>
    /// <param name="rowStride">How far apart the plane's rows are.</param>
    /// <param name="rows">The rows to split.</param>
    /// <param name="columns">The columns of each row to split.</param>
    /// <param name="phases">The four phases.</param>
    /// <param name="phaseRowStride">How far apart the rows of a phase are.</param>
    /// <param name="phaseSize">How far apart the phases are (16 more than their rows need).</param>
    /// <param name="readable">How many floats from <paramref name="plane"/> on may be read.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SplitPhases(ref float plane, nuint rowStride, int rows, int columns, ref float phases, nuint phaseRowStride, nuint phaseSize, nuint readable)
    {
        for (int r = 0; r < rows; r++)
        {
            ref float from = ref Unsafe.Add(ref plane, (nuint)r * rowStride);
            ref float evens = ref Unsafe.Add(ref phases, (nuint)(r & 1) * 2 * phaseSize + (nuint)(r >> 1) * phaseRowStride);
            ref float odds = ref Unsafe.Add(ref evens, phaseSize);
            // Columns c + n of row r may be read while r · rowStride + c + n ≤ readable.
            nint room = (nint)readable - (nint)((nuint)r * rowStride);
            int c = 0;
            if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
            {
                Vector512<int> evenIndex = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                Vector512<int> oddIndex = evenIndex + Vector512<int>.One;
                for (; c < columns && c + 32 <= room; c += 32)
                {
                    Vector512<float> low = Vector512.LoadUnsafe(ref from, (nuint)c);
                    Vector512<float> high = Vector512.LoadUnsafe(ref from, (nuint)c + 16);
                    System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32x2(low, evenIndex, high).StoreUnsafe(ref evens, (nuint)(c >> 1));
                    System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32x2(low, oddIndex, high).StoreUnsafe(ref odds, (nuint)(c >> 1));
                }
            }
            if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            {
                for (; c < columns && c + 16 <= room; c += 16)
                {
                    Vector256<float> low = Vector256.LoadUnsafe(ref from, (nuint)c);
                    Vector256<float> high = Vector256.LoadUnsafe(ref from, (nuint)c + 8);
                    Vector256<double> e = System.Runtime.Intrinsics.X86.Avx.Shuffle(low, high, 0x88).AsDouble();
                    Vector256<double> o = System.Runtime.Intrinsics.X86.Avx.Shuffle(low, high, 0xDD).AsDouble();
                    System.Runtime.Intrinsics.X86.Avx2.Permute4x64(e, 0xD8).AsSingle().StoreUnsafe(ref evens, (nuint)(c >> 1));
                    System.Runtime.Intrinsics.X86.Avx2.Permute4x64(o, 0xD8).AsSingle().StoreUnsafe(ref odds, (nuint)(c >> 1));
                }
            }
            if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                for (; c < columns && c + 8 <= room; c += 8)
                {
                    Vector128<float> low = Vector128.LoadUnsafe(ref from, (nuint)c);
                    Vector128<float> high = Vector128.LoadUnsafe(ref from, (nuint)c + 4);
                    System.Runtime.Intrinsics.X86.Sse.Shuffle(low, high, 0x88).StoreUnsafe(ref evens, (nuint)(c >> 1));
                    System.Runtime.Intrinsics.X86.Sse.Shuffle(low, high, 0xDD).StoreUnsafe(ref odds, (nuint)(c >> 1));
                }
            }
            else if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
            {
                for (; c < columns && c + 8 <= room; c += 8)
                {
                    Vector128<float> low = Vector128.LoadUnsafe(ref from, (nuint)c);
                    Vector128<float> high = Vector128.LoadUnsafe(ref from, (nuint)c + 4);
                    System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.UnzipEven(low, high).StoreUnsafe(ref evens, (nuint)(c >> 1));
                    System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.UnzipOdd(low, high).StoreUnsafe(ref odds, (nuint)(c >> 1));
                }
            }
            for (; c + 1 < columns; c += 2)
            {
                Unsafe.Add(ref evens, (nuint)(c >> 1)) = Unsafe.Add(ref from, (nuint)c);
                Unsafe.Add(ref odds, (nuint)(c >> 1)) = Unsafe.Add(ref from, (nuint)c + 1);
            }
            if (c < columns)
            {
                Unsafe.Add(ref evens, (nuint)(c >> 1)) = Unsafe.Add(ref from, (nuint)c);
            }
        }
    }

    /// <summary>
    /// Two floats at <paramref name="source"/> + <paramref name="offset"/> and the two <paramref name="nextRow"/> further
    /// on, in one 128-bit vector: a kernel's two output rows of a map two columns wide.
    /// </summary>
    /// <param name="source">The row.</param>
    /// <param name="offset">Where the first pair is.</param>
    /// <param name="nextRow">How far the second pair is from the first.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadRowPairs(ref float source, nuint offset, nuint nextRow) =>
        Vector128.Create(Pair(ref source, offset), Pair(ref source, offset + nextRow)).AsSingle(); // not Vector64: software on x64

    /// <summary>
    /// <see cref="LoadRowPairs"/> at stride 2: the floats at <paramref name="source"/> + <paramref name="offset"/> and + 2,
    /// and the two <paramref name="nextRow"/> further on (the input columns of a stride-2 kernel's 2×2 outputs).
    /// </summary>
    /// <param name="source">The row.</param>
    /// <param name="offset">Where the first column is.</param>
    /// <param name="nextRow">How far the second row's columns are from the first's.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadEvenRowPairs(ref float source, nuint offset, nuint nextRow) =>
        Vector128.Create(Unsafe.Add(ref source, offset), Unsafe.Add(ref source, offset + 2),
            Unsafe.Add(ref source, offset + nextRow), Unsafe.Add(ref source, offset + nextRow + 2));

    /// <summary>Stores what <see cref="LoadRowPairs"/> loads: the lower two floats at the offset, the upper two <paramref name="nextRow"/> further on.</summary>
    /// <param name="value">The two pairs.</param>
    /// <param name="destination">The row.</param>
    /// <param name="offset">Where the first pair goes.</param>
    /// <param name="nextRow">How far the second pair goes from the first.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRowPairs(Vector128<float> value, ref float destination, nuint offset, nuint nextRow)
    {
        Vector128<double> pairs = value.AsDouble();
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset)), pairs.ToScalar());
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset + nextRow)), pairs.GetElement(1));
    }

    /// <summary>Two adjacent floats read as one 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Pair(ref float source, nuint offset) =>
        Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, offset)));

    /// <summary>
    /// a · b + c in every lane of a 128-bit vector, for the kernels' portable (<c>Vector128</c>) path: one fused
    /// instruction where the machine has one (x64 FMA, Arm64 AdvSimd), a multiply and an add otherwise (x64 without
    /// FMA, as NativeAOT compiles by default, and WebAssembly), never a per-lane software fused multiply-add.
    /// </summary>
    /// <param name="a">Multiplicand.</param>
    /// <param name="b">Multiplier.</param>
    /// <param name="c">Addend.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c);
        }
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.AdvSimd.FusedMultiplyAdd(c, a, b);
        }
        return a * b + c;
    }

    /// <summary>
    /// Four floats <paramref name="stride"/> apart from <paramref name="first"/> on: the inputs of one tap for four
    /// output columns of a strided convolution or pool, for the kernels' portable (<c>Vector128</c>) path. Never reads
    /// past the last of them (<c>first + 3 · stride</c>), so no read leaves the caller's buffer. Stride 2 is two loads
    /// (inputs 0..3 and 3..6) and one shuffle: <c>shufps</c> on x64, <c>ext</c> + <c>uzp1</c> on Arm64; larger strides
    /// build the vector from four scalar loads. <paramref name="stride"/> is a constant at every call, so the JIT keeps
    /// one branch.
    /// </summary>
    /// <param name="first">The first input.</param>
    /// <param name="stride">Distance between the inputs, 2 to 4 in generated code.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Columns(ref float first, int stride)
    {
        if (stride == 2)
        {
            Vector128<float> low = Vector128.LoadUnsafe(ref first), high = Vector128.LoadUnsafe(ref first, 3);
            // inputs 0, 2, 4, 6 are lanes 0 and 2 of low (inputs 0..3) and lanes 1 and 3 of high (inputs 3..6)
            if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                return System.Runtime.Intrinsics.X86.Sse.Shuffle(low, high, 0b11_01_10_00);
            }
            if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
            {
                // ext rotates high to inputs 4, 5, 6, 3; uzp1 takes the even lanes of low, then of that
                return System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.UnzipEven(low, System.Runtime.Intrinsics.Arm.AdvSimd.ExtractVector128(high, high, 1));
            }
            return Vector128.Create(low.GetElement(0), low.GetElement(2), high.GetElement(1), high.GetElement(3));
        }
        return Vector128.Create(first, Unsafe.Add(ref first, stride), Unsafe.Add(ref first, 2 * stride), Unsafe.Add(ref first, 3 * stride));
    }

    /// <summary>
    /// Lanes 0 and 1 of <paramref name="even"/> and <paramref name="odd"/>, alternating (e0 o0 e1 o1): the first half of
    /// two interleaved output columns, for the portable (<c>Vector128</c>) path. <c>unpcklps</c> on x64, <c>zip1</c> on Arm64.
    /// </summary>
    /// <param name="even">The values for the even positions.</param>
    /// <param name="odd">The values for the odd positions.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> InterleaveLower(Vector128<float> even, Vector128<float> odd)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Sse.UnpackLow(even, odd);
        }
        if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.ZipLow(even, odd);
        }
        return Vector128.Create(even.GetElement(0), odd.GetElement(0), even.GetElement(1), odd.GetElement(1));
    }

    /// <summary>
    /// Lanes 2 and 3 of <paramref name="even"/> and <paramref name="odd"/>, alternating (e2 o2 e3 o3): the second half of
    /// two interleaved output columns, for the portable (<c>Vector128</c>) path. <c>unpckhps</c> on x64, <c>zip2</c> on Arm64.
    /// </summary>
    /// <param name="even">The values for the even positions.</param>
    /// <param name="odd">The values for the odd positions.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> InterleaveUpper(Vector128<float> even, Vector128<float> odd)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Sse.UnpackHigh(even, odd);
        }
        if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.ZipHigh(even, odd);
        }
        return Vector128.Create(even.GetElement(2), odd.GetElement(2), even.GetElement(3), odd.GetElement(3));
    }
}
