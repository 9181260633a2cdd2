using System;
using System.Buffers.Binary;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CnnGen;

/// <summary>
/// Reads network parameters stored as raw little-endian IEEE 754 float32 values, in the order the
/// generated constructor takes them (PyTorch <c>state_dict()</c> order).
/// </summary>
public static class NetworkParameters
{
    /// <summary>Reads exactly <paramref name="expectedCount"/> floats from a file.</summary>
    /// <exception cref="InvalidDataException">The file does not hold exactly <paramref name="expectedCount"/> floats.</exception>
    public static float[] ReadFile(string path, int expectedCount)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Read(stream, expectedCount, path);
    }

    /// <summary>
    /// Reads the weights a <c>[Network(Weights = "…")]</c> class embeds: the manifest resource
    /// <paramref name="resourceName"/> of <paramref name="assembly"/>, exactly <paramref name="expectedCount"/> floats.
    /// </summary>
    /// <exception cref="InvalidOperationException">The assembly has no such resource (CnnGen's build targets were not imported).</exception>
    /// <exception cref="InvalidDataException">The resource does not hold exactly <paramref name="expectedCount"/> floats.</exception>
    public static float[] ReadEmbedded(Assembly assembly, string resourceName, int expectedCount)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resourceName);
        using Stream stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"Assembly {assembly.GetName().Name} has no embedded resource '{resourceName}'. The weights file must be an <AdditionalFiles> item and the project must import CnnGen's build targets (the CnnGen package does this; with a project reference, import src/CnnGen/build/CnnGen.targets).");
        return Read(stream, expectedCount, $"The embedded weights '{resourceName}'");
    }

    /// <summary>Reads exactly <paramref name="expectedCount"/> floats from a stream and checks that it ends there.</summary>
    /// <exception cref="InvalidDataException">The stream is shorter or longer than <paramref name="expectedCount"/> floats.</exception>
    public static float[] Read(Stream stream, int expectedCount) => Read(stream, expectedCount, "the stream");

    private static float[] Read(Stream stream, int expectedCount, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCount);
        var values = new float[expectedCount];
        Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        int read = 0;
        while (read < bytes.Length)
        {
            int n = stream.Read(bytes[read..]);
            if (n == 0)
            {
                throw new InvalidDataException(
                    $"{source} holds {read} bytes ({read / sizeof(float)} floats) but the network needs {expectedCount} floats ({bytes.Length} bytes): it is truncated or belongs to another network.");
            }
            read += n;
        }
        if (stream.ReadByte() != -1)
        {
            throw new InvalidDataException(
                $"{source} holds more than the {expectedCount} floats ({bytes.Length} bytes) the network needs: it belongs to another network.");
        }
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> words = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        return values;
    }
}
