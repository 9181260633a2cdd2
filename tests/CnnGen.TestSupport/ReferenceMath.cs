using System;

namespace CnnGen.TestSupport;

/// <summary>
/// Float64 references for the activation functions that <see cref="Math"/> lacks (erf, erfc, e^x − 1), written
/// from their series and continued fraction, accurate to about 1e-13 relative: far finer than the float results
/// they check.
/// </summary>
public static class ReferenceMath
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>erf x.</summary>
    public static double Erf(double x) => Math.Abs(x) < 2.5
        ? ErfSeries(x)
        : Math.Sign(x) * (1 - Erfc(Math.Abs(x)));

    /// <summary>erfc x = 1 − erf x, keeping its relative accuracy far into the tail.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x < 2.5)
        {
            return 1 - ErfSeries(x);
        }
        // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from the tail.
        double fraction = x;
        for (int k = 300; k >= 1; k--)
        {
            fraction = x + k / 2.0 / fraction;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / fraction;
    }

    /// <summary>erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): all terms positive, no cancellation.</summary>
    private static double ErfSeries(double x)
    {
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>Φ(x), the standard normal distribution function, accurate in both tails.</summary>
    public static double NormalCdf(double x) => x < 0 ? 0.5 * Erfc(-x / Math.Sqrt(2)) : 1 - 0.5 * Erfc(x / Math.Sqrt(2));

    /// <summary>e^x − 1 without cancellation near 0.</summary>
    public static double ExpMinusOne(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>1 / (1 + e^−x).</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>GELU, exact form: x·Φ(x).</summary>
    public static double Gelu(double x) => x * NormalCdf(x);

    /// <summary>GELU's tanh form, x/2·(1 + tanh(√(2/π)·(x + 0.044715x³))), as x·sigmoid(2u) (the same value, without the cancellation of 1 + tanh u for negative u).</summary>
    public static double GeluTanh(double x) => x * Sigmoid(2 * Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x));

    /// <summary>ELU: x &gt; 0 ? x : alpha·(e^x − 1).</summary>
    public static double Elu(double x, double alpha) => x > 0 ? x : alpha * ExpMinusOne(x);
}
