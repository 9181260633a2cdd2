using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace CnnGen.TestSupport;

/// <summary>
/// Generated code compiled and loaded in a collectible <see cref="AssemblyLoadContext"/>. The CnnGen
/// runtime is shared with the test (the context falls back to the default one), so instances cast to
/// <see cref="INetwork"/> and <see cref="LayerInfo"/> directly.
/// </summary>
public sealed class CompiledNetworks : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Func<string, float[], INetwork> _factory;

    internal CompiledNetworks(Stream image)
    {
        _context = new AssemblyLoadContext("CnnGenTests-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        Assembly = _context.LoadFromStream(image);
        Type? factory = Assembly.GetType(GeneratorHarness.FactoryType);
        _factory = factory is null
            ? (name, _) => throw new InvalidOperationException("This compilation has no network factory; compile it with GeneratorHarness.Compile.")
            : factory.GetMethod("Create")!.CreateDelegate<Func<string, float[], INetwork>>();
    }

    /// <summary>The compiled assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>A type of the compiled assembly by full name.</summary>
    public Type GetType(string fullName) =>
        Assembly.GetType(fullName) ?? throw new InvalidOperationException($"No type {fullName} in the compiled assembly.");

    /// <summary>Calls the generated constructor <c>new T(ReadOnlySpan&lt;float&gt;)</c> (through the factory).</summary>
    public INetwork Create(string fullName, float[] parameters) => _factory(fullName, parameters);

    /// <summary>Reads a <c>public const int</c> of a generated class.</summary>
    public int Constant(string fullName, string name)
    {
        FieldInfo field = GetType(fullName).GetField(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{fullName} has no public constant {name}.");
        if (!field.IsLiteral || field.FieldType != typeof(int))
        {
            throw new InvalidOperationException($"{fullName}.{name} is not a const int.");
        }
        return (int)field.GetRawConstantValue()!;
    }

    /// <summary>Reads a public static property of a generated class.</summary>
    public object? StaticProperty(string fullName, string name) =>
        (GetType(fullName).GetProperty(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{fullName} has no public static property {name}.")).GetValue(null);

    /// <summary>Calls a public static method of a generated class, unwrapping the reflection exception.</summary>
    public object? InvokeStatic(string fullName, string name, params object[] arguments)
    {
        MethodInfo method = GetType(fullName).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{fullName} has no public static method {name}.");
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Unloads the context.</summary>
    public void Dispose() => _context.Unload();
}
