namespace CnnGen.Generator.Model;

/// <summary>
/// One layer attribute exactly as the user wrote it: its kind and its arguments, not validated yet
/// (that is the shape stage's job). An argument the user left out is absent, so a rule can tell
/// "not given" from "given as the default". The typed accessors below name the arguments the
/// current kinds read; a new kind reads its own with <see cref="Int"/>, <see cref="Float"/>, ….
/// </summary>
/// <param name="Kind">Which attribute.</param>
/// <param name="Arguments">Its arguments, positional ones first.</param>
internal sealed record LayerSpec(LayerKind Kind, EquatableArray<Argument> Arguments)
{
    /// <summary>A spec from its positional sizes, named after the attribute's constructor parameters (for tests and tools).</summary>
    public LayerSpec(LayerKind kind, int width = 0, int height = 0, int count = 0)
        : this(kind, EquatableArray<Argument>.Empty)
    {
        string[] names = kind switch
        {
            LayerKind.Input => new[] { "width", "height", "depth" },
            LayerKind.Conv => new[] { "width", "height", "filters" },
            LayerKind.MaxPool or LayerKind.AvgPool => new[] { "width", "height" },
            LayerKind.FullyConnected => new[] { "outputs" },
            _ => new string[0],
        };
        int[] values = kind == LayerKind.FullyConnected ? new[] { count } : new[] { width, height, count };
        for (int i = 0; i < names.Length; i++)
        {
            Arguments = With(names[i], values[i]);
        }
    }

    /// <summary>The arguments with <paramref name="name"/> set to <paramref name="value"/>, or removed when it is null.</summary>
    public EquatableArray<Argument> With(string name, int? value) => Replace(name, value is int v ? new Argument(name) { Int = v } : null);

    /// <summary>The arguments with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public EquatableArray<Argument> With(string name, bool value) => Replace(name, new Argument(name) { Bool = value });

    /// <summary>The arguments with <paramref name="name"/> set to <paramref name="value"/>, or removed when it is null.</summary>
    public EquatableArray<Argument> With(string name, string? value) => Replace(name, value is null ? null : new Argument(name) { Text = value });

    private EquatableArray<Argument> Replace(string name, Argument? replacement)
    {
        var list = new System.Collections.Generic.List<Argument>();
        foreach (Argument argument in Arguments)
        {
            if (argument.Name != name)
            {
                list.Add(argument);
            }
        }
        if (replacement is not null)
        {
            list.Add(replacement);
        }
        return list.ToEquatableArray();
    }

    private Argument? Find(string name)
    {
        foreach (Argument argument in Arguments)
        {
            if (argument.Name == name)
            {
                return argument;
            }
        }
        return null;
    }

    /// <summary>Whether the argument was written.</summary>
    public bool Has(string name) => Find(name) is not null;

    public int? Int(string name) => Find(name)?.Int;

    public bool Bool(string name) => Find(name)?.Bool ?? false;

    public float? Float(string name) => Find(name)?.Float;

    public string? Text(string name) => Find(name)?.Text;

    public EquatableArray<string> Texts(string name) => Find(name)?.Texts ?? EquatableArray<string>.Empty;

    /// <summary>A float array argument (<c>[Normalize]</c>'s means and deviations); empty when not written.</summary>
    public EquatableArray<float> Floats(string name) => Find(name)?.Floats ?? EquatableArray<float>.Empty;

    /// <summary>First positional size: input, kernel or window width.</summary>
    public int Width => Int("width") ?? 0;

    /// <summary>Second positional size: input, kernel or window height.</summary>
    public int Height => Int("height") ?? 0;

    /// <summary>Input depth, Conv filters, or FullyConnected outputs.</summary>
    public int Count => Int("depth") ?? Int("filters") ?? Int("outputs") ?? 0;

    public int? Stride { get => Int("Stride"); init => Arguments = With("Stride", value); }
    public int? StrideX { get => Int("StrideX"); init => Arguments = With("StrideX", value); }
    public int? StrideY { get => Int("StrideY"); init => Arguments = With("StrideY", value); }
    public int? Padding { get => Int("Padding"); init => Arguments = With("Padding", value); }
    public int? PadLeft { get => Int("PadLeft"); init => Arguments = With("PadLeft", value); }
    public int? PadTop { get => Int("PadTop"); init => Arguments = With("PadTop", value); }
    public int? PadRight { get => Int("PadRight"); init => Arguments = With("PadRight", value); }
    public int? PadBottom { get => Int("PadBottom"); init => Arguments = With("PadBottom", value); }
    public int? Dilation { get => Int("Dilation"); init => Arguments = With("Dilation", value); }
    public int? DilationX { get => Int("DilationX"); init => Arguments = With("DilationX", value); }
    public int? DilationY { get => Int("DilationY"); init => Arguments = With("DilationY", value); }
    public bool CeilMode { get => Bool("CeilMode"); init => Arguments = With("CeilMode", value); }
    public bool ExcludePadding { get => Bool("ExcludePadding"); init => Arguments = With("ExcludePadding", value); }

    /// <summary>Conv <c>Depth</c> the user expects, when stated.</summary>
    public int? ExpectedDepth { get => Int("Depth"); init => Arguments = With("Depth", value); }

    /// <summary>FullyConnected <c>Inputs</c> the user expects, when stated.</summary>
    public int? ExpectedInputs { get => Int("Inputs"); init => Arguments = With("Inputs", value); }

    /// <summary><c>Name = "…"</c>, when given.</summary>
    public string? Name { get => Text("Name"); init => Arguments = With("Name", value); }

    /// <summary><c>From = "…"</c>, when given.</summary>
    public string? From { get => Text("From"); init => Arguments = With("From", value); }

    /// <summary>The layers an <c>[Add]</c>, <c>[Mul]</c> or <c>[Concat]</c> names.</summary>
    public EquatableArray<string> Others
    {
        get => Texts("others");
        init => Arguments = Replace("others", new Argument("others") { Texts = value });
    }
}
