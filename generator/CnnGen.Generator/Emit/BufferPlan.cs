using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Emit;

/// <summary>One emitted operation: a layer, with a following ReLU folded into its store when there is one.</summary>
internal sealed record Step(LayerPlan Layer, bool Relu, Region Source, Region Destination, PaddedRegion? Padded)
{
    /// <summary>Name of the generated method.</summary>
    public string Method => "Forward" + Layer.Name;
}

/// <summary>
/// A zero- (or −∞-) bordered copy of a layer's input, big enough that every window is a plain
/// read: padding on each side plus any overhang of ceil-mode windows.
/// </summary>
internal sealed record PaddedRegion(Region Region, int Width, int Height, float BorderValue);

/// <summary>
/// Decides where each layer reads and writes. Layers alternate between two dense scratch
/// buffers; a layer whose consumer needs padding writes straight into the interior of that
/// consumer's own bordered buffer, so no layer ever checks bounds or copies a padded input
/// (except the network input, copied once into the first layer's bordered buffer).
/// </summary>
internal sealed class BufferPlan
{
    public IReadOnlyList<Step> Steps { get; }

    /// <summary>Bordered buffers whose borders must be filled when the scratch array is created.</summary>
    public IReadOnlyList<PaddedRegion> PaddedRegions { get; }

    /// <summary>When the first layer needs padding, the network input is copied into this region first.</summary>
    public PaddedRegion? InputCopy { get; }

    public int ScratchLength { get; }

    /// <summary>Floats kept free after the last scratch buffer for vector reads that run past it.</summary>
    public const int ReadSlack = 16;

    private BufferPlan(IReadOnlyList<Step> steps, IReadOnlyList<PaddedRegion> padded, PaddedRegion? inputCopy, int scratchLength)
    {
        Steps = steps;
        PaddedRegions = padded;
        InputCopy = inputCopy;
        ScratchLength = scratchLength;
    }

    public static BufferPlan Create(NetworkPlan network)
    {
        // Fold every ReLU into the layer before it (max(0, ·) at the store); a leading ReLU stays on its own.
        var layers = new List<(LayerPlan Layer, bool Relu)>();
        foreach (LayerPlan layer in network.Layers)
        {
            if (layer.Kind == LayerKind.Relu && layers.Count > 0)
            {
                layers[layers.Count - 1] = (layers[layers.Count - 1].Layer, true);
                continue;
            }
            layers.Add((layer, false));
        }

        // Two dense ping-pong buffers first (the last layer writes to the caller's output), then one
        // bordered buffer per layer that needs one. ShapeInference checked that this fits an int.
        long dense = 0;
        for (int i = 0; i < layers.Count - 1; i++)
        {
            dense = Math.Max(dense, layers[i].Layer.Out.Length);
        }
        long next = 2 * dense;
        var padded = new PaddedRegion?[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            LayerPlan layer = layers[i].Layer;
            if (layer.Kind is not (LayerKind.Conv or LayerKind.MaxPool or LayerKind.AvgPool))
            {
                continue;
            }
            int width = Math.Max(layer.PaddedWidth, (layer.Out.Width - 1) * layer.StrideX + layer.DilationX * (layer.KernelWidth - 1) + 1);
            int height = Math.Max(layer.PaddedHeight, (layer.Out.Height - 1) * layer.StrideY + layer.DilationY * (layer.KernelHeight - 1) + 1);
            if (width == layer.In.Width && height == layer.In.Height)
            {
                continue;
            }
            int length = width * height * layer.In.Depth;
            var region = new Region(Storage.Scratch, (int)next, width, width * height, layer.PadTop * width + layer.PadLeft, length);
            padded[i] = new PaddedRegion(region, width, height, layer.Kind == LayerKind.MaxPool ? float.NegativeInfinity : 0f);
            next += length;
        }

        var steps = new List<Step>();
        Region source = Region.Dense(Storage.Input, 0, network.Input.Width, network.Input.Height, (int)network.Input.Length);
        PaddedRegion? inputCopy = padded[0];
        if (inputCopy is not null)
        {
            source = inputCopy.Region;
        }
        for (int i = 0; i < layers.Count; i++)
        {
            var (layer, relu) = layers[i];
            Region destination;
            if (i == layers.Count - 1)
            {
                destination = Region.Dense(Storage.Output, 0, layer.Out.Width, layer.Out.Height, (int)layer.Out.Length);
            }
            else if (padded[i + 1] is PaddedRegion consumer)
            {
                destination = consumer.Region;
            }
            else
            {
                // The ping-pong buffer this layer does not read from.
                int offset = source.Storage == Storage.Scratch && source.Offset == 0 ? (int)dense : 0;
                destination = Region.Dense(Storage.Scratch, offset, layer.Out.Width, layer.Out.Height, (int)layer.Out.Length);
            }
            steps.Add(new Step(layer, relu, source, destination, padded[i]));
            source = destination;
        }

        var bordered = new List<PaddedRegion>();
        foreach (PaddedRegion? region in padded)
        {
            if (region is not null)
            {
                bordered.Add(region);
            }
        }
        // Slack after the last buffer: a stride-2 pooling kernel may read one float past its input's last row.
        return new BufferPlan(steps, bordered, inputCopy, (int)Math.Min(next == 0 ? 0 : next + ReadSlack, int.MaxValue));
    }
}
