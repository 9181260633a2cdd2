namespace CnnGen.Generator.Emit;

/// <summary>
/// Short names the generated file declares for the types its kernels use. Fully qualified names
/// on every line would double the size of the generated source; plain names (<c>Unsafe</c>) could
/// be shadowed by a user type of that name in the network's namespace, so each alias has a prefix.
/// </summary>
internal static class Aliases
{
    public const string Unsafe = "CnnUnsafe";
    public const string Vector128 = "CnnVector128";
    public const string Vector256 = "CnnVector256";
    public const string Vector512 = "CnnVector512";
    public const string Float4 = "CnnFloat4";
    public const string Float8 = "CnnFloat8";
    public const string Float16 = "CnnFloat16";
    public const string Fma = "CnnFma";
    public const string Avx = "CnnAvx";
    public const string Avx2 = "CnnAvx2";
    public const string Avx512F = "CnnAvx512F";

    /// <summary>The runtime library's kernel helpers, with the trailing dot: <c>global::CnnGen.Kernels.MultiplyAdd(…)</c>.</summary>
    public const string Kernels = "global::CnnGen.Kernels.";

    /// <summary>The attribute on every kernel: <c>[CnnMethodImpl(CnnMethodImplOptions.AggressiveOptimization)]</c>.</summary>
    public const string Optimized = "[CnnMethodImpl(CnnMethodImplOptions.AggressiveOptimization)]";

    /// <summary>The <c>using</c> directives, written at the top of every generated file.</summary>
    public static readonly string[] Declarations =
    {
        $"using {Unsafe} = global::System.Runtime.CompilerServices.Unsafe;",
        $"using {Vector128} = global::System.Runtime.Intrinsics.Vector128;",
        $"using {Vector256} = global::System.Runtime.Intrinsics.Vector256;",
        $"using {Vector512} = global::System.Runtime.Intrinsics.Vector512;",
        $"using {Float4} = global::System.Runtime.Intrinsics.Vector128<float>;",
        $"using {Float8} = global::System.Runtime.Intrinsics.Vector256<float>;",
        $"using {Float16} = global::System.Runtime.Intrinsics.Vector512<float>;",
        $"using {Fma} = global::System.Runtime.Intrinsics.X86.Fma;",
        $"using {Avx} = global::System.Runtime.Intrinsics.X86.Avx;",
        $"using {Avx2} = global::System.Runtime.Intrinsics.X86.Avx2;",
        $"using {Avx512F} = global::System.Runtime.Intrinsics.X86.Avx512F;",
        "using CnnMethodImpl = global::System.Runtime.CompilerServices.MethodImplAttribute;",
        "using CnnMethodImplOptions = global::System.Runtime.CompilerServices.MethodImplOptions;",
    };
}
