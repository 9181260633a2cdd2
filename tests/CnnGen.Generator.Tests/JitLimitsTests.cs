using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The JIT compiles a method without optimization (MinOpts: no register allocation of locals, no CSE,
/// vectors on the stack) when it exceeds any of these (dotnet/runtime <c>src/coreclr/jit/compiler.h</c>,
/// <c>DEFAULT_MIN_OPTS_*</c>, checked in <c>Compiler::compSetOptimizationLevel</c>): 60,000 bytes of IL,
/// 20,000 IL instructions, 2,000 basic blocks, 2,000 locals (the JIT's, which include its own temps) or
/// 8,000 local references. A kernel over that runs several times slower; this checks every method
/// generated for <see cref="LayerShapeMatrix"/> stays under each limit with a margin.
/// </summary>
public sealed class JitLimitsTests(ITestOutputHelper output)
{
    /// <summary>The JIT's limits, less a margin for what the JIT adds (temps of inlined calls, blocks it splits).</summary>
    private const int MaxIlBytes = 60_000 * 3 / 4;
    private const int MaxInstructions = 20_000 * 3 / 4;
    private const int MaxBlocks = 2_000 / 2;
    private const int MaxLocals = 2_000 / 4;
    private const int MaxLocalReferences = 8_000 * 3 / 4;

    [Fact]
    public void Matrix_HasEnoughShapes()
    {
        IReadOnlyList<LayerShapeMatrix.Case> cases = LayerShapeMatrix.Cases;
        Assert.True(cases.Count >= 200, $"only {cases.Count} shapes");
        RefLayer[] layers = cases.Select(c => c.Network.Layers[0]).ToArray();
        RefConv[] convs = layers.OfType<RefConv>().ToArray();
        Assert.True(convs.Count(c => c.StrideX > 1) >= 40, "strided convs");
        Assert.True(convs.Count(c => c.KernelWidth >= 7) >= 20, "large kernels");
        Assert.True(convs.Count(c => c.DilationX > 1 || c.DilationY > 1) >= 10, "dilated convs");
        Assert.True(convs.Count(c => c.Groups > 1 && c.Groups == c.Filters) >= 10, "depthwise convs");
        Assert.True(cases.Count(c => c.Network.Input.Depth >= 256) >= 10, "wide inputs");
        Assert.True(convs.Count(c => c.Filters >= 256) >= 10, "wide outputs");
        Assert.True(cases.Count(c => c.Network.Input.Height == 1) >= 20, "height-1 inputs");
        Assert.True(layers.OfType<RefPool>().Count() >= 15, "pools");
        Assert.True(layers.OfType<RefFullyConnected>().Count() >= 10, "fully connected");
    }

    [Fact]
    public void EveryGeneratedMethod_StaysUnderTheJitOptimizationLimits()
    {
        var failures = new List<string>();
        IlStats largest = default;
        string largestName = "";
        int methods = 0;
        foreach (Type type in LayerShapeMatrix.Compiled.Assembly.GetTypes().Where(t => t.Namespace == "M"))
        {
            foreach (MethodBase method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
            {
                if (IlStats.Of(method) is not IlStats stats)
                {
                    continue;
                }
                methods++;
                string name = $"{type.Name}.{method.Name}";
                if (stats.IlBytes > largest.IlBytes)
                {
                    (largest, largestName) = (stats, name);
                }
                if (stats.IlBytes > MaxIlBytes || stats.Instructions > MaxInstructions || stats.Blocks > MaxBlocks
                    || stats.Locals > MaxLocals || stats.LocalReferences > MaxLocalReferences)
                {
                    failures.Add($"{name}: {stats}");
                }
            }
        }
        output.WriteLine($"{methods} methods in {LayerShapeMatrix.Cases.Count} networks; the largest is {largestName}: {largest}");
        Assert.True(methods > 3 * LayerShapeMatrix.Cases.Count, $"only {methods} methods found");
        Assert.True(failures.Count == 0,
            $"{failures.Count} generated methods exceed the budget (IL ≤ {MaxIlBytes} B, ≤ {MaxInstructions} instructions, ≤ {MaxBlocks} blocks, ≤ {MaxLocals} locals, ≤ {MaxLocalReferences} local references):\n"
            + string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public void IlStats_CountsWhatTheJitCounts()
    {
        // A method with a known shape: one loop (a conditional branch back, an unconditional one into the test).
        MethodBase method = typeof(JitLimitsTests).GetMethod(nameof(SampleLoop), BindingFlags.NonPublic | BindingFlags.Static)!;
        IlStats stats = IlStats.Of(method)!.Value;
        Assert.Equal(method.GetMethodBody()!.GetILAsByteArray()!.Length, stats.IlBytes);
        Assert.True(stats.Locals >= 2, stats.ToString()); // sum, i (+ the argument)
        Assert.True(stats.Blocks >= 3, stats.ToString());
        Assert.True(stats.LocalReferences >= 6, stats.ToString());
        Assert.True(stats.Instructions >= 10 && stats.Instructions < stats.IlBytes, stats.ToString());
    }

    private static int SampleLoop(int n)
    {
        int sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += i * i;
        }
        return sum;
    }
}

/// <summary>What the JIT measures of a method before choosing MinOpts, read from its IL.</summary>
/// <param name="IlBytes">IL size.</param>
/// <param name="Instructions">IL instructions.</param>
/// <param name="Blocks">An upper bound of the basic blocks: one, plus two per branch (its target and its fall-through), plus a switch's targets.</param>
/// <param name="Locals">IL locals and arguments (the JIT adds temps to these).</param>
/// <param name="LocalReferences">Instructions that load, store or take the address of a local or an argument.</param>
internal readonly record struct IlStats(int IlBytes, int Instructions, int Blocks, int Locals, int LocalReferences)
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IlStats? Of(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return null;
        }
        int instructions = 0, branches = 0, switchTargets = 0, localReferences = 0;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            OpCode op = OpCodesByValue[value];
            i += op.Size;
            instructions++;
            if (op.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch)
            {
                branches++;
            }
            string name = op.Name!;
            if (name.StartsWith("ldloc", StringComparison.Ordinal) || name.StartsWith("stloc", StringComparison.Ordinal)
                || name.StartsWith("ldarg", StringComparison.Ordinal) || name.StartsWith("starg", StringComparison.Ordinal))
            {
                localReferences++;
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * SwitchCount(il, i, ref switchTargets),
                _ => 4,
            };
        }
        int locals = method.GetMethodBody()!.LocalVariables.Count + method.GetParameters().Length + (method.IsStatic ? 0 : 1);
        return new IlStats(il.Length, instructions, 1 + 2 * branches + switchTargets, locals, localReferences);
    }

    private static int SwitchCount(byte[] il, int at, ref int targets)
    {
        int count = BitConverter.ToInt32(il, at);
        targets += count + 1;
        return count;
    }

    public override string ToString() =>
        $"{IlBytes} B of IL, {Instructions} instructions, ≤ {Blocks} blocks, {Locals} locals, {LocalReferences} local references";
}
