using System;
using System.IO;
using System.Linq;
using CnnGen.Onnx.Import;
using CnnGen.Onnx.Protos;
using Google.Protobuf;

namespace CnnGen.Onnx;

/// <summary>
/// Reads a CNN (any graph of supported operators from one input to one output) from an ONNX model into CnnGen layers and parameters.
/// Every failure is an <see cref="OnnxImportException"/> with a message meant for the user.
/// </summary>
public static class OnnxImporter
{
    /// <summary>The oldest default-domain operator set the importer reads.</summary>
    public const int MinimumOpset = 7;

    /// <summary>Imports the model in a file.</summary>
    /// <exception cref="OnnxImportException">The file cannot be read, is not an ONNX model, or holds something CnnGen cannot represent.</exception>
    public static ImportedNetwork ImportFile(string path, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new OnnxImportException($"Cannot read '{path}': {e.Message}", e);
        }
        options ??= new OnnxImportOptions();
        options.SourceName ??= Path.GetFileName(path);
        return Import(bytes, options);
    }

    /// <summary>Imports a model from a stream (read to its end).</summary>
    public static ImportedNetwork Import(Stream stream, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Import(buffer.ToArray(), options);
    }

    /// <summary>Imports a model from its serialized bytes.</summary>
    public static ImportedNetwork Import(byte[] model, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Import(Parse(model, options?.SourceName), options);
    }

    /// <summary>Parses serialized bytes as an ONNX <see cref="ModelProto"/>, with a clear error when they are not one.</summary>
    public static ModelProto Parse(byte[] model, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        string source = sourceName is null ? "The input" : $"'{sourceName}'";
        if (model.Length == 0)
        {
            throw new OnnxImportException($"{source} is empty, not an ONNX model.");
        }
        ModelProto parsed;
        try
        {
            parsed = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"{source} is not a valid ONNX model (it may be truncated or corrupt): {e.Message}", e);
        }
        if (parsed.Graph is null || parsed.IrVersion <= 0)
        {
            throw new OnnxImportException(
                $"{source} is not an ONNX model: it has {(parsed.Graph is null ? "no graph" : "no IR version")}. (Is it a PyTorch .pt/.pth checkpoint or another format? Export it with torch.onnx.export first.)");
        }
        return parsed;
    }

    /// <summary>Imports an already parsed model.</summary>
    public static ImportedNetwork Import(ModelProto model, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxImportOptions();
        if (model.Graph is null)
        {
            throw new OnnxImportException("The model has no graph.");
        }
        var opsets = model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx").ToList();
        if (opsets.Count == 0)
        {
            throw new OnnxImportException("The model does not say which version of the ONNX operator set it uses (no opset_import for the default domain).");
        }
        long opset = opsets.Max(o => o.Version);
        if (opset < MinimumOpset)
        {
            throw new OnnxImportException(
                $"The model uses ONNX opset {opset}; CnnGen imports opset {MinimumOpset} and newer. Convert it first (onnx.version_converter.convert_version(model, 13)).");
        }
        try
        {
            return new GraphImporter(model, opset, options).Import();
        }
        catch (OverflowException e)
        {
            throw new OnnxImportException($"The model has sizes too large for CnnGen: {e.Message}", e);
        }
    }
}
