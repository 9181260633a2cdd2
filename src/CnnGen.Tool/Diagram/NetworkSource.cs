using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using CnnGen.Onnx;

namespace CnnGen.Tool.Diagram;

/// <summary>A network to draw: its name, input volume and layers.</summary>
internal sealed record NetworkDescription(string Name, Shape Input, IReadOnlyList<LayerInfo> Layers)
{
    /// <summary>The input volume of a generated class's layers: what the first layer reads.</summary>
    public static Shape InputOf(IReadOnlyList<LayerInfo> layers) =>
        layers.Count == 0 ? default : layers.FirstOrDefault(l => l.Inputs.Contains("Input"))?.Input ?? layers[0].Input;
}

/// <summary>Reads networks from an <c>.onnx</c> model or from the <c>[Network]</c> classes of a built assembly.</summary>
internal static class NetworkSource
{
    /// <summary>Imports an ONNX model (throws <see cref="OnnxImportException"/>).</summary>
    public static NetworkDescription FromOnnx(FileInfo model)
    {
        ImportedNetwork network = OnnxImporter.ImportFile(model.FullName, new OnnxImportOptions { SourceName = model.Name });
        return new NetworkDescription(CSharpNetworkWriter.ClassNameFrom(model.Name), network.Input, network.Layers);
    }

    /// <summary>
    /// Every class in the assembly with <c>[Network]</c> and a static <c>Layers</c> property, read
    /// through a load context that shares this tool's CnnGen (so <see cref="LayerInfo"/> is one type)
    /// and resolves the assembly's other dependencies beside it.
    /// </summary>
    public static IReadOnlyList<NetworkDescription> FromAssembly(FileInfo assemblyFile)
    {
        var context = new NetworkLoadContext(assemblyFile.FullName);
        Assembly assembly = context.LoadFromAssemblyPath(assemblyFile.FullName);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        var networks = new List<NetworkDescription>();
        foreach (Type type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (!type.GetCustomAttributes(inherit: false).Any(a => a.GetType().FullName == "CnnGen.NetworkAttribute"))
            {
                continue;
            }
            PropertyInfo? property = type.GetProperty("Layers", BindingFlags.Public | BindingFlags.Static);
            if (property?.GetValue(null) is IReadOnlyList<LayerInfo> layers)
            {
                networks.Add(new NetworkDescription(type.FullName ?? type.Name, NetworkDescription.InputOf(layers), layers));
            }
        }
        return networks;
    }

    private sealed class NetworkLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver;

        public NetworkLoadContext(string path)
            : base("cnngen diagram", isCollectible: false) => _resolver = new AssemblyDependencyResolver(path);

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == typeof(LayerInfo).Assembly.GetName().Name)
            {
                return typeof(LayerInfo).Assembly;
            }
            string? path = _resolver.ResolveAssemblyToPath(name);
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
