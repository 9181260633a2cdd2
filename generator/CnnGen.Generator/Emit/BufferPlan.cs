using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Emit;

/// <summary>One emitted operation: a layer, with the element-wise layers after it folded into its store.</summary>
/// <param name="Layer">The layer whose kernel runs.</param>
/// <param name="Epilogue">The activations folded into it, in order.</param>
/// <param name="Sources">Where it reads each input (for a padded kernel: its bordered buffer).</param>
/// <param name="Destination">Where it writes (the last folded layer's output).</param>
/// <param name="Padded">The bordered buffer its input is in, when it needs one.</param>
internal sealed record Step(LayerPlan Layer, EquatableArray<EpilogueOp> Epilogue, EquatableArray<Region> Sources, Region Destination, PaddedRegion? Padded)
{
    /// <summary>Name of the generated method.</summary>
    public string Method => "Forward" + Layer.Name;

    /// <summary>Where its (first) input is.</summary>
    public Region Source => Sources[0];

    /// <summary>When set, the forward pass first copies this volume into the interior of <see cref="Padded"/> (an input that others read too).</summary>
    public Region? CopyFrom { get; init; }

    /// <summary>Its output is memory that already holds it (a channel range of its input, a zero-bordered buffer): no kernel runs.</summary>
    public bool Aliased { get; init; }
    /// <summary>
    /// Layers whose arithmetic the generated constructor folds into this kernel's weights and bias (a
    /// <c>[Normalize]</c> right before a conv without padding, a <c>[BatchNorm]</c> right after it), so they cost
    /// nothing per call; see <see cref="ConstructionFolds"/>.
    /// </summary>
    public EquatableArray<LayerPlan> Folds { get; init; } = EquatableArray<LayerPlan>.Empty;

    /// <summary>Scratch the kernel may use while it runs (free before and after the step), or null: the Winograd kernel's transformed tiles, a transposed convolution's taps.</summary>
    public Region? Workspace { get; init; }

    /// <summary>
    /// Activations applied after the kernel, in order, by one in-place pass each over <see cref="Destination"/>
    /// (<c>CnnGen.Kernels.SiluInPlace</c> and the like) instead of in its store: see <see cref="ActivationEpilogue.Split"/>.
    /// </summary>
    public EquatableArray<EpilogueOp> Deferred { get; init; } = EquatableArray<EpilogueOp>.Empty;
}

/// <summary>
/// A zero- (or −∞-) bordered copy of a layer's input, big enough that every window is a plain
/// read: padding on each side plus any overhang of ceil-mode windows.
/// </summary>
internal sealed record PaddedRegion(Region Region, int Width, int Height, float BorderValue);

/// <summary>
/// Memory planning for the graph. Element-wise layers fold into the kernel before them when that
/// kernel's output has no other reader. A volume whose only reader needs padding is written straight
/// into the interior of that reader's bordered buffer (no copy, no bounds checks); a padded layer whose
/// input others read too gets a copy. Every other volume lives in scratch from the step that writes it
/// to the last step that reads it, and memory is reused after that (first fit). Bordered buffers keep
/// their borders, written once when a thread's scratch is created: one is reused only by a later kernel whose bordered
/// buffer has the same shape (<see cref="SharedBorder"/>).
/// </summary>
internal sealed partial class BufferPlan
{
    public IReadOnlyList<Step> Steps { get; }

    /// <summary>The layers of the steps that run a kernel (not aliased) and satisfy <paramref name="kind"/>, in step order.</summary>
    public List<LayerPlan> KernelLayers(System.Func<LayerPlan, bool> kind)
    {
        var layers = new List<LayerPlan>();
        foreach (Step step in Steps)
        {
            if (!step.Aliased && kind(step.Layer))
            {
                layers.Add(step.Layer);
            }
        }
        return layers;
    }

    /// <summary>Bordered buffers whose borders must be filled when the scratch array is created.</summary>
    public IReadOnlyList<PaddedRegion> PaddedRegions { get; }

    public int ScratchLength { get; }

    /// <summary>Floats kept free after the last scratch buffer for vector reads that run past it.</summary>
    public const int ReadSlack = 16;

    private BufferPlan(IReadOnlyList<Step> steps, IReadOnlyList<PaddedRegion> padded, int scratchLength)
    {
        Steps = steps;
        PaddedRegions = padded;
        ScratchLength = scratchLength;
    }

    /// <summary>
    /// What makes two bordered buffers interchangeable: the same padded plane (<paramref name="Width"/> ×
    /// <paramref name="Height"/>), interior (<paramref name="InteriorWidth"/> × <paramref name="InteriorHeight"/> from
    /// <paramref name="Origin"/>) and border value. Every kernel writes only the interior cells of the buffer it fills, so the
    /// border cells of such buffers stay what the scratch array's creation wrote, whichever of them used the memory last.
    /// </summary>
    private readonly record struct BorderShape(int Width, int Height, int Origin, int InteriorWidth, int InteriorHeight, float BorderValue);

    /// <summary>
    /// One bordered buffer in scratch, shared by the padded kernels of one <see cref="BorderShape"/> whose lives (from the
    /// step that writes the interior to the kernel's own) do not overlap: as long as the deepest of them, the last used at
    /// <paramref name="LastStep"/>. Sharing keeps the buffer an expansion conv writes in cache (a new one for each block of
    /// MobileNetV2 was memory the forward pass had not touched since the previous call: its 14×14 expansions ran about
    /// 1.3× ONNX Runtime's time inside the model, 0.95× alone). Scratch at 224×224: MobileNetV2 20.8 → 12.4 MB,
    /// EfficientNet-B0 23.3 → 17.7 MB. Measured (throwaway probe, the benchmarks built before and after in one process
    /// with ONNX Runtime, in turn, thread CPU time, best (median) of 10–60 rounds, load 65–100), ONNX Runtime's time
    /// over CnnGen's before → after: MobileNetV2 0.93× (0.94×) → 1.00× (1.01×), EfficientNet-B0 0.91× (0.95×) → 0.96×
    /// (0.97×), ShuffleNetV2 1.32× → 1.39×, VGG-11 1.52× → 1.61×, SqueezeNet 1.06× → 1.09×; the others within noise.
    /// </summary>
    private sealed record SharedBorder(BorderShape Shape, int Length, int LastStep);

    /// <summary>A step before its memory is assigned: the layer whose kernel runs, its folded activations, and the layer whose output it writes (the last one folded).</summary>
    private sealed record Draft(int Owner, List<EpilogueOp> Epilogue, int Tail)
    {
        /// <summary>Layers folded into the owner's weights at construction (<see cref="Step.Folds"/>).</summary>
        public List<LayerPlan> Folds { get; } = new();
    }

    public static BufferPlan Create(NetworkPlan network)
    {
        // Dropout and Flatten: their readers read their input instead (NoOpLayers).
        (IReadOnlyList<LayerPlan> layers, int outputTensor) = NoOpLayers.Elide(network.Layers);
        int count = layers.Count;
        var readers = new List<int>[count];
        for (int i = 0; i < count; i++)
        {
            readers[i] = new List<int>();
        }
        for (int i = 0; i < count; i++)
        {
            if (!layers[i].IsDead)
            {
                foreach (int input in layers[i].Inputs)
                {
                    if (input >= 0)
                    {
                        readers[input].Add(i);
                    }
                }
            }
        }

        // Fold activations into the step that produces their input, as long as nothing else reads it.
        var drafts = new List<Draft>();
        var folded = new bool[count];
        for (int i = 0; i < count; i++)
        {
            if (layers[i].IsDead || folded[i])
            {
                continue;
            }
            var epilogue = new List<EpilogueOp>();
            int tail = i;
            var folds = new List<LayerPlan>();
            if (ConstructionFolds.NormalizeInto(layers, readers, i) is not null)
            {
                folded[i] = true; // its reader's step absorbs it, below
                continue;
            }
            if (ConstructionFolds.NormalizeBefore(layers, readers, i) is int normalize)
            {
                folds.Add(layers[normalize]);
            }
            if (ConstructionFolds.BatchNormAfter(layers, readers, i) is int norm)
            {
                folds.Add(layers[norm]);
                folded[norm] = true;
                tail = norm;
            }
            while (LayerKinds.Of(layers[i].Kind).TakesEpilogue && readers[tail].Count == 1
                && LayerKinds.Of(layers[readers[tail][0]].Kind).Role == LayerRole.Activation
                && ActivationEpilogue.CanFold(layers[i], layers[readers[tail][0]]))
            {
                int next = readers[tail][0];
                epilogue.Add(EpilogueOp.Of(layers[next], layers[i]));
                folded[next] = true;
                tail = next;
            }
            var draft = new Draft(i, epilogue, tail);
            draft.Folds.AddRange(folds);
            drafts.Add(draft);
        }

        // Layers whose output needs no kernel (BufferPlan.Views.cs): channel ranges of their input, zero padding as a bordered buffer.
        bool[] views = SliceViews(layers);
        bool[] padBuffers = PadBuffers(layers, readers);

        // Bordered buffers: one per padded kernel, after the dense activations; kernels whose buffers have the same shape
        // share one when their lives do not overlap (SharedBorder).
        var borders = new PaddedRegion?[drafts.Count];
        var borderOwner = new Dictionary<int, int>(); // tensor → draft whose bordered buffer it is written into
        var writerOf = new Dictionary<int, int>(); // tensor → draft whose step writes it
        for (int t = 0; t < drafts.Count; t++)
        {
            writerOf[drafts[t].Tail] = t;
        }
        var shared = new List<SharedBorder>();
        var sharedOf = new int[drafts.Count];
        for (int s = 0; s < drafts.Count; s++)
        {
            LayerPlan layer = layers[drafts[s].Owner];
            int input = layer.Inputs[0];
            // The producer of the input can write it straight into the interior of the bordered buffer (no copy).
            bool written = input >= 0 && input != outputTensor && readers[input].Count == 1 && !views[input] && !padBuffers[input];
            if ((padBuffers[drafts[s].Owner] ? PadBorder(layer) : Border(layer)) is not (int width, int height)
                || (!padBuffers[drafts[s].Owner] && PoolEmitter.Separable(layer, drafts[s].Epilogue.Count, written) && !PoolEmitter.Bordered(written)) // clips its windows instead
                || (!padBuffers[drafts[s].Owner] && PoolEmitter.Windows(layer, drafts[s].Epilogue.Count, written))) // clips too, at no cost
            {
                continue;
            }
            int length = width * height * layer.In.Depth;
            var region = new Region(Storage.Scratch, 0, width, width * height, layer.PadTop * width + layer.PadLeft, length);
            borders[s] = new PaddedRegion(region, width, height, layer.Kind == LayerKind.MaxPool ? float.NegativeInfinity : 0f);
            if (written)
            {
                borderOwner[input] = s;
            }
            // Live from the step that writes the interior (its producer's, or its own copy) to its own step. A [Pad]'s buffer
            // (read by its readers later) and one written by a concat's operands (from earlier steps) keep their own.
            int first = !written ? s : layers[input].Kind != LayerKind.Concat && writerOf.TryGetValue(input, out int writer) ? writer : -1;
            var shape = new BorderShape(width, height, region.Origin, layer.In.Width, layer.In.Height, borders[s]!.BorderValue);
            int slot = padBuffers[drafts[s].Owner] || first < 0 ? -1 : shared.FindIndex(b => b.Shape == shape && b.LastStep < first);
            if (slot < 0)
            {
                slot = shared.Count;
                shared.Add(new SharedBorder(shape, length, padBuffers[drafts[s].Owner] || first < 0 ? int.MaxValue : s));
            }
            else
            {
                shared[slot] = shared[slot] with { Length = Math.Max(shared[slot].Length, length), LastStep = s };
            }
            sharedOf[s] = slot;
        }
        long borderedLength = 0;
        var slotOffsets = new long[shared.Count];
        for (int b = 0; b < shared.Count; b++)
        {
            slotOffsets[b] = borderedLength;
            borderedLength += shared[b].Length;
        }
        for (int s = 0; s < drafts.Count; s++)
        {
            if (borders[s] is PaddedRegion border)
            {
                borders[s] = border with { Region = border.Region with { Offset = (int)slotOffsets[sharedOf[s]] } };
            }
        }

        // Concats whose operands are written straight into their channel ranges (BufferPlan.Views.cs).
        (bool[] concatViews, int[] operandOf) = ConcatViews(layers, readers, drafts, outputTensor, views, padBuffers, borderOwner);

        // What a step reads: its layer's inputs, except that a conv with a Normalize folded in reads what the Normalize read.
        List<int> InputsOf(int layer)
        {
            var inputs = new List<int>(layers[layer].Inputs);
            if (inputs[0] >= 0 && folded[inputs[0]] && layers[inputs[0]].Kind == LayerKind.Normalize)
            {
                inputs[0] = layers[inputs[0]].Inputs[0];
            }
            return inputs;
        }

        // The last step that reads each tensor (by layer index); a tensor is freed after it.
        var lastRead = new int[count];
        for (int s = 0; s < drafts.Count; s++)
        {
            foreach (int input in InputsOf(drafts[s].Owner))
            {
                if (input >= 0)
                {
                    lastRead[input] = s;
                }
            }
        }
        ExtendThroughViews(layers, views, lastRead);

        // Dense tensors: first fit in scratch, live from their step to their last reader.
        var dense = new Dictionary<int, Region>();
        var active = new List<(int Offset, int Length, int Tensor)>();
        var workspaces = new Region?[drafts.Count];
        long denseLength = 0;
        for (int s = 0; s < drafts.Count; s++)
        {
            int tensor = drafts[s].Tail;
            if (operandOf[tensor] >= 0)
            {
                // An operand of a concat written in place: the first one written takes the concat's whole volume,
                // live until the concat's last reader (the operands have no other reader).
                tensor = operandOf[tensor];
                if (dense.ContainsKey(tensor))
                {
                    tensor = -1;
                }
            }
            else if (concatViews[tensor])
            {
                tensor = -1; // already placed with its first operand
            }
            if (tensor >= 0 && tensor != outputTensor && !borderOwner.ContainsKey(tensor) && !views[tensor] && !padBuffers[tensor])
            {
                Volume v = layers[tensor].Out;
                int offset = FirstFit(active, (int)v.Length);
                active.Add((offset, (int)v.Length, tensor));
                denseLength = Math.Max(denseLength, offset + v.Length);
                dense[tensor] = Region.Dense(Storage.Scratch, offset, v.Width, v.Height, (int)v.Length);
            }
            // A step's workspace: clear of its inputs and output, free again once it has run.
            int workspace = ChannelDotEmitter.WorkspaceLength(layers[drafts[s].Owner], drafts[s].Epilogue) is int transposed and > 0 ? transposed
                : WinogradEmitter.WorkspaceLength(layers[drafts[s].Owner], drafts[s].Epilogue) + ConvEmitter.SubsampleLength(layers[drafts[s].Owner])
                + ConvTransposeEmitter.WorkspaceLength(layers[drafts[s].Owner]) + ConvEmitter.PhaseSplitLength(layers[drafts[s].Owner], drafts[s].Epilogue);
            if (workspace > 0)
            {
                int offset = FirstFit(active, workspace);
                denseLength = Math.Max(denseLength, (long)offset + workspace);
                workspaces[s] = Region.Dense(Storage.Scratch, offset, workspace, 1, workspace);
            }
            active.RemoveAll(block => lastRead[block.Tensor] == s);
        }

        var stepOf = new Dictionary<int, int>(); // layer → the draft whose kernel computes it
        for (int s = 0; s < drafts.Count; s++)
        {
            stepOf[drafts[s].Owner] = s;
        }

        // Bordered buffers go after the dense area.
        for (int s = 0; s < borders.Length; s++)
        {
            if (borders[s] is PaddedRegion border)
            {
                Region moved = border.Region with { Offset = border.Region.Offset + (int)denseLength };
                borders[s] = border with { Region = moved };
            }
        }

        Region Where(int tensor)
        {
            if (tensor == LayerPlan.NetworkInput)
            {
                Volume input = network.Input;
                return Region.Dense(Storage.Input, 0, input.Width, input.Height, (int)input.Length);
            }
            if (tensor == outputTensor)
            {
                Volume output = layers[tensor].Out;
                return Region.Dense(Storage.Output, 0, output.Width, output.Height, (int)output.Length);
            }
            if (views[tensor])
            {
                return ChannelView(Where(layers[tensor].Inputs[0]), layers[tensor]);
            }
            if (operandOf[tensor] >= 0)
            {
                return OperandView(dense[operandOf[tensor]], layers[operandOf[tensor]], tensor);
            }
            if (padBuffers[tensor])
            {
                return borders[stepOf[tensor]]!.Region with { Origin = 0 }; // the whole padded volume, border included
            }
            return borderOwner.TryGetValue(tensor, out int owner) ? borders[owner]!.Region : dense[tensor];
        }

        var steps = new List<Step>();
        var padded = new List<PaddedRegion>();
        for (int s = 0; s < drafts.Count; s++)
        {
            LayerPlan layer = layers[drafts[s].Owner];
            var sources = new List<Region>();
            foreach (int input in InputsOf(drafts[s].Owner))
            {
                sources.Add(Where(input));
            }
            Region? copyFrom = null;
            if (borders[s] is PaddedRegion border)
            {
                padded.Add(border);
                if (!borderOwner.TryGetValue(layer.Inputs[0], out int owner) || owner != s)
                {
                    copyFrom = sources[0];
                }
                sources[0] = border.Region;
            }
            (List<EpilogueOp> fused, List<EpilogueOp> deferred) = ActivationEpilogue.Split(layer, drafts[s].Epilogue);
            steps.Add(new Step(layer, fused.ToEquatableArray(), sources.ToEquatableArray(), Where(drafts[s].Tail), borders[s])
            {
                Deferred = deferred.ToEquatableArray(),
                CopyFrom = copyFrom,
                Aliased = views[drafts[s].Owner] || padBuffers[drafts[s].Owner] || concatViews[drafts[s].Owner],
                Folds = drafts[s].Folds.ToEquatableArray(),
                Workspace = workspaces[s],
            });
        }
        long total = denseLength + borderedLength;
        // Slack after the last buffer (ReadSlack): a guard for a vector read that runs past a buffer's end. The pools,
        // which it was added for, no longer need it (the separable and emitted max pools read nothing past their input).
        return new BufferPlan(steps, padded, (int)Math.Min(total == 0 ? 0 : total + ReadSlack, int.MaxValue));
    }

    /// <summary>The bordered input size a padded (or ceil-mode) conv or pool needs, or null when it reads its input as it is.</summary>
    private static (int Width, int Height)? Border(LayerPlan layer)
    {
        if (layer.Kind is not (LayerKind.Conv or LayerKind.MaxPool or LayerKind.AvgPool))
        {
            return null;
        }
        int width = Math.Max(layer.PaddedWidth, (layer.Out.Width - 1) * layer.StrideX + layer.DilationX * (layer.KernelWidth - 1) + 1);
        int height = Math.Max(layer.PaddedHeight, (layer.Out.Height - 1) * layer.StrideY + layer.DilationY * (layer.KernelHeight - 1) + 1);
        return width == layer.In.Width && height == layer.In.Height ? null : (width, height);
    }

    /// <summary>The lowest offset where <paramref name="length"/> floats fit between the live blocks.</summary>
    private static int FirstFit(List<(int Offset, int Length, int Tensor)> active, int length)
    {
        active.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        int candidate = 0;
        foreach (var block in active)
        {
            if (block.Offset - candidate >= length)
            {
                return candidate;
            }
            candidate = Math.Max(candidate, block.Offset + block.Length);
        }
        return candidate;
    }
}
