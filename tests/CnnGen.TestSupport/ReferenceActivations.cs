using System;
using System.Globalization;
using System.Linq;

namespace CnnGen.TestSupport;

/// <summary>
/// An element-wise layer of the reference (and the no-ops): the output has the input's shape, each value a
/// function of one input value (PRelu's also of its channel). Written from PyTorch's definitions in float64.
/// </summary>
public abstract record RefActivation : RefLayer
{
    /// <summary>The attribute's name, which is also the default-name prefix (<c>LeakyRelu</c> → <c>LeakyRelu1</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>Applies the layer to a C,H,W volume; <paramref name="offset"/> is where its parameters start.</summary>
    public virtual double[] Apply(double[] x, RefShape shape, float[] parameters, int offset) => x.Select(Value).ToArray();

    /// <summary>The function of one value.</summary>
    protected abstract double Value(double x);

    protected override string CanonicalAttributeCore() => $"[{Kind}]";

    /// <summary>A float as a C# literal.</summary>
    protected static string F(float value) => float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
        : value.ToString("R", CultureInfo.InvariantCulture) + "f";
}

/// <summary>Leaky ReLU: x ≥ 0 ? x : slope·x (PyTorch <c>nn.LeakyReLU(negative_slope)</c>).</summary>
public sealed record RefLeakyRelu(float Slope = 0.01f) : RefActivation
{
    public override string Kind => "LeakyRelu";

    protected override double Value(double x) => x >= 0 ? x : Slope * x;

    protected override string CanonicalAttributeCore() => $"[LeakyRelu(Slope = {F(Slope)})]";
}

/// <summary>Clamp to [min, max] (PyTorch <c>torch.clamp</c>).</summary>
public sealed record RefClip(float Min, float Max) : RefActivation
{
    public override string Kind => "Clip";

    protected override double Value(double x) => Math.Min(Math.Max(x, Min), Max);

    protected override string CanonicalAttributeCore() => $"[Clip({F(Min)}, {F(Max)})]";
}

/// <summary>1 / (1 + e^−x).</summary>
public sealed record RefSigmoid : RefActivation
{
    public override string Kind => "Sigmoid";

    protected override double Value(double x) => 1 / (1 + Math.Exp(-x));
}

/// <summary>tanh x.</summary>
public sealed record RefTanh : RefActivation
{
    public override string Kind => "Tanh";

    protected override double Value(double x) => Math.Tanh(x);
}

/// <summary>max(0, min(1, alpha·x + beta)) (PyTorch <c>nn.Hardsigmoid</c> with alpha 1/6 and beta 1/2).</summary>
public sealed record RefHardSigmoid(float Alpha = 1f / 6f, float Beta = 0.5f) : RefActivation
{
    public override string Kind => "HardSigmoid";

    protected override double Value(double x) => Math.Max(0, Math.Min(1, Alpha * x + Beta));

    protected override string CanonicalAttributeCore() => $"[HardSigmoid(Alpha = {F(Alpha)}, Beta = {F(Beta)})]";
}

/// <summary>x · relu6(x + 3) / 6 (PyTorch <c>nn.Hardswish</c>).</summary>
public sealed record RefHardSwish : RefActivation
{
    public override string Kind => "HardSwish";

    protected override double Value(double x) => x * Math.Min(Math.Max(x + 3, 0), 6) / 6;
}

/// <summary>x · sigmoid(x) (PyTorch <c>nn.SiLU</c>).</summary>
public sealed record RefSilu : RefActivation
{
    public override string Kind => "Silu";

    protected override double Value(double x) => x / (1 + Math.Exp(-x));
}

/// <summary>GELU (PyTorch <c>nn.GELU(approximate)</c>): x/2·(1 + erf(x/√2)), or x/2·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
public sealed record RefGelu(bool Tanh = false) : RefActivation
{
    public override string Kind => "Gelu";

    protected override double Value(double x) => Tanh
        ? 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
        : 0.5 * x * (1 + ReferenceMath.Erf(x / Math.Sqrt(2)));

    protected override string CanonicalAttributeCore() => Tanh ? "[Gelu(Approximate = global::CnnGen.GeluApproximation.Tanh)]" : "[Gelu]";
}

/// <summary>x &gt; 0 ? x : alpha·(e^x − 1) (PyTorch <c>nn.ELU(alpha)</c>).</summary>
public sealed record RefElu(float Alpha = 1f) : RefActivation
{
    public override string Kind => "Elu";

    protected override double Value(double x) => x > 0 ? x : Alpha * (Math.Exp(x) - 1);

    protected override string CanonicalAttributeCore() => $"[Elu(Alpha = {F(Alpha)})]";
}

/// <summary>x ≥ 0 ? x : a[c]·x with one learned slope per channel (PyTorch <c>nn.PReLU(num_parameters = C)</c>): parameters [C].</summary>
public sealed record RefPRelu : RefActivation
{
    public override string Kind => "PRelu";

    public override double[] Apply(double[] x, RefShape shape, float[] parameters, int offset)
    {
        var y = new double[x.Length];
        int plane = shape.Width * shape.Height;
        for (int i = 0; i < x.Length; i++)
        {
            double slope = parameters[offset + i / plane];
            y[i] = x[i] >= 0 ? x[i] : slope * x[i];
        }
        return y;
    }

    protected override double Value(double x) => throw new NotSupportedException("PRelu needs its channel");
}

/// <summary>Log-softmax over the whole vector: xᵢ − log Σ exp xⱼ.</summary>
public sealed record RefLogSoftmax : RefActivation
{
    public override string Kind => "LogSoftmax";

    public override double[] Apply(double[] x, RefShape shape, float[] parameters, int offset)
    {
        double max = x.Max();
        double logSum = Math.Log(x.Sum(v => Math.Exp(v - max)));
        return x.Select(v => v - max - logSum).ToArray();
    }

    protected override double Value(double x) => throw new NotSupportedException("LogSoftmax reads the whole vector");
}

/// <summary>Dropout: the identity at inference.</summary>
public sealed record RefDropout : RefActivation
{
    public override string Kind => "Dropout";

    protected override double Value(double x) => x;
}

/// <summary>Flatten: the identity (volumes are always C,H,W).</summary>
public sealed record RefFlatten : RefActivation
{
    public override string Kind => "Flatten";

    protected override double Value(double x) => x;
}
