using System.Collections.Generic;

namespace CnnGen.Onnx;

/// <summary>
/// A CNN read from an ONNX model: CnnGen layers (the same <see cref="LayerInfo"/> a
/// generated network lists in its <c>Layers</c> property) and their parameters in the generated
/// constructor's order.
/// </summary>
public sealed class ImportedNetwork
{
    internal ImportedNetwork(
        Shape input,
        IReadOnlyList<LayerInfo> layers,
        IReadOnlyList<string> origins,
        float[] parameters,
        IReadOnlyList<string> warnings,
        ModelSummary model)
    {
        Input = input;
        Layers = layers;
        Origins = origins;
        Parameters = parameters;
        Warnings = warnings;
        Model = model;
    }

    /// <summary>The input volume (one item of the batch): ONNX <c>[N, C, H, W]</c> becomes W×H×C.</summary>
    public Shape Input { get; }

    /// <summary>The layers, in order, with every size resolved.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>For each layer, the ONNX nodes it came from, e.g. <c>/conv1/Conv + /bn1/BatchNormalization</c>.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <summary>All weights and biases, in the order the generated constructor reads them.</summary>
    public float[] Parameters { get; }

    /// <summary>Things the user should know that did not stop the import (NaN or infinite weights, …).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Where the network came from.</summary>
    public ModelSummary Model { get; }

    /// <summary>The output volume.</summary>
    public Shape Output => Layers.Count == 0 ? Input : Layers[^1].Output;
}

/// <summary>What an imported ONNX model said about itself.</summary>
/// <param name="Source">The file (or other source) name given to the importer, or <c>null</c>.</param>
/// <param name="ProducerName">The tool that wrote the model, e.g. <c>pytorch</c>.</param>
/// <param name="ProducerVersion">Its version.</param>
/// <param name="GraphName">The graph's name.</param>
/// <param name="Opset">The default-domain operator set version.</param>
/// <param name="IrVersion">The ONNX IR version.</param>
/// <param name="InputName">The graph input the network reads.</param>
/// <param name="OutputName">The graph output the network writes.</param>
/// <param name="BatchSize">The batch size fixed by the model, or 0 when it is symbolic. The network runs one item at a time.</param>
/// <param name="OutputDimensions">The ONNX shape of one output item (without the batch axis); its row-major order is the network's output order.</param>
public sealed record ModelSummary(
    string? Source,
    string ProducerName,
    string ProducerVersion,
    string GraphName,
    long Opset,
    long IrVersion,
    string InputName,
    string OutputName,
    int BatchSize,
    IReadOnlyList<int> OutputDimensions);
