using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.TestSupport;

/// <summary>
/// Seeded random graph networks, valid by construction: residual blocks, branches from the input or
/// earlier layers merged by Add or Concat, inception-style Concat of differently-kerneled branches,
/// squeeze-and-excite gates (global AvgPool, FullyConnected, Relu, FullyConnected, maybe Sigmoid or HardSigmoid,
/// broadcast Mul), stride-2 convolutions and pools in between, an optional fully connected head and a final Softmax
/// or LogSoftmax. The activations after blocks are drawn from every element-wise kind (<see cref="RandomActivation"/>).
/// Every layer's output reaches the network output; references mix explicit and default names.
/// Small: inputs at most 24×24×4, at most 16 channels anywhere, at most <see cref="MaxGraphLayers"/> layers.
/// </summary>
public static partial class RandomNetworks
{
    /// <summary>The most layers <see cref="Graph(int)"/> draws.</summary>
    public const int MaxGraphLayers = 20;

    /// <summary>The most channels any tensor of a <see cref="Graph(int)"/> network has.</summary>
    public const int MaxGraphDepth = 16;

    /// <summary>The graph network for <paramref name="seed"/>; the same seed always gives the same network.</summary>
    public static ReferenceNetwork Graph(int seed) => Graph(seed, allActivations: true, convFamily: true, shapeKinds: true);

    /// <summary>The graph network for <paramref name="seed"/>; the same seed and switches always give the same network.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="allActivations">Draw every activation kind; false: only ReLU and Softmax (see <see cref="Create(int, bool, bool, bool)"/>).</param>
    /// <param name="convFamily">Draw depthwise and grouped convs, BatchNorm and ConvTranspose too (see <see cref="Create(int, bool, bool, bool)"/>).</param>
    /// <param name="shapeKinds">Draw ShuffleNet units, U-Net steps, pads and global-pool gates too.</param>
    public static ReferenceNetwork Graph(int seed, bool allActivations = true, bool convFamily = true, bool shapeKinds = true)
    {
        var builder = new GraphBuilder(new Random(seed), allActivations, convFamily, shapeKinds);
        ReferenceNetwork network = builder.Build();
        if (network.DeadLayers().Count > 0)
        {
            throw new InvalidOperationException($"graph {seed} has dead layers {string.Join(", ", network.DeadLayers().Select(network.NameOf))}:\n{network}");
        }
        return network;
    }

    /// <summary>Appends blocks to a growing list of layers; every block ends with the new main tensor as the last layer.</summary>
    private sealed partial class GraphBuilder
    {
        /// <summary>Layers kept free for the head (FullyConnected, Relu, FullyConnected, Softmax).</summary>
        private const int HeadReserve = 4;

        private static readonly string[] NamePrefixes = { "a", "b", "t", "skip", "branch", "gate", "trunk" };

        private readonly Random random;
        private readonly bool allActivations;
        private readonly bool convFamily;
        private readonly bool shapeKinds;
        private readonly RefShape input;
        private readonly List<RefLayer> layers = new();
        private ReferenceNetwork network;

        public GraphBuilder(Random random, bool allActivations, bool convFamily, bool shapeKinds)
        {
            this.random = random;
            this.allActivations = allActivations;
            this.convFamily = convFamily;
            this.shapeKinds = shapeKinds;
            input = new RefShape(random.Next(3, 25), random.Next(3, 25), random.Next(1, 5));
            network = new ReferenceNetwork(input, layers);
        }

        /// <summary>The main tensor: the last layer (the network input before the first).</summary>
        private int Main => layers.Count - 1;

        private RefShape Shape(int tensor) => network.ShapeOf(tensor);

        private string Ref(int tensor) => network.NameOf(tensor);

        public ReferenceNetwork Build()
        {
            int target = random.Next(3, MaxGraphLayers - HeadReserve + 1);
            while (layers.Count < target)
            {
                bool added = false;
                for (int attempt = 0; attempt < 10 && !added; attempt++)
                {
                    // 0–11 the first blocks, 12 the convolution family's, 13–16 the shape and channel kinds'.
                    int draw = random.Next(12 + (convFamily ? 1 : 0) + (shapeKinds ? 4 : 0));
                    if (!convFamily && draw >= 12)
                    {
                        draw += 1;
                    }
                    (int maxLayers, Func<bool> block) = draw switch
                    {
                        12 => random.Next(2) == 0 ? (10, (Func<bool>)InvertedResidualBlock) : (6, UpStepBlock),
                        < 2 => (4, (Func<bool>)ConvBlock),
                        < 3 => (1, PoolBlock),
                        < 5 => (5, ResidualBlock),
                        < 7 => (3, BranchBlock),
                        < 9 => (7, InceptionBlock),
                        < 11 => (allActivations ? 6 : 5, SqueezeExciteBlock), // 6: room for a sigmoid gate
                        < 12 => (2, StridedBlock),
                        13 => (7, ShuffleBlock),
                        14 => (7, UpBlock),
                        15 => (4, PadConvBlock),
                        _ => (6, GlobalGateBlock),
                    };
                    added = layers.Count + maxLayers <= MaxGraphLayers - HeadReserve && block();
                }
                if (!added)
                {
                    break;
                }
            }
            if (layers.Count == 0)
            {
                ConvBlock();
            }
            Head();
            return network;
        }

        /// <summary>Appends <paramref name="layer"/> reading <paramref name="source"/> (setting From when that is not the previous layer, sometimes anyway), sometimes named.</summary>
        private int Emit(RefLayer layer, int source)
        {
            if (source != Main || random.Next(20) == 0)
            {
                layer = layer with { From = Ref(source) };
            }
            if (random.Next(10) < 3)
            {
                layer = layer with { Name = NamePrefixes[random.Next(NamePrefixes.Length)] + layers.Count };
            }
            layers.Add(layer);
            network = new ReferenceNetwork(input, layers); // validates as it grows
            return Main;
        }

        /// <summary>A convolution that keeps width and height at stride 1 ("same" padding for odd kernels), spelled one of several ways.</summary>
        private RefConv SameConv(int kw, int kh, int filters, int stride = 1, int dilation = 1)
        {
            int px = dilation * (kw - 1) / 2, py = dilation * (kh - 1) / 2;
            var conv = new RefConv(kw, kh, filters)
            {
                StrideX = stride,
                StrideY = stride,
                PadLeft = px,
                PadRight = px,
                PadTop = py,
                PadBottom = py,
                DilationX = dilation,
                DilationY = dilation,
            };
            if (kw == kh && random.Next(2) == 0)
            {
                string args = (px > 0 ? $", Padding = {I(px)}" : "")
                    + (stride > 1 ? $", Stride = {I(stride)}" : "")
                    + (dilation > 1 ? $", Dilation = {I(dilation)}" : "");
                conv = conv with { Attribute = $"[Conv({I(kw)}, {I(kh)}, {I(filters)}{args})]" };
            }
            return conv;
        }

        private RefConv RandomSameConv(int filters) => random.Next(6) switch
        {
            0 when convFamily && random.Next(3) == 0 => SameConv(1, 1, filters) with { Groups = GreatestDivisorOfTheMain(filters), Attribute = null },
            0 => SameConv(1, 1, filters),
            1 => SameConv(5, 5, filters),
            2 => SameConv(1, 3, filters),
            3 => SameConv(3, 1, filters),
            4 => SameConv(3, 3, filters, dilation: 2),
            _ => SameConv(3, 3, filters),
        };

        private int Filters(int max = MaxGraphDepth) => random.Next(1, max + 1);

        /// <summary>The largest number of groups that divides both the main tensor's depth and <paramref name="filters"/> (a grouped 1×1 conv).</summary>
        private int GreatestDivisorOfTheMain(int filters)
        {
            int depth = Shape(Main).Depth;
            return Enumerable.Range(1, Math.Min(depth, filters)).Last(g => depth % g == 0 && filters % g == 0);
        }

        private void MaybeRelu(int percent)
        {
            if (random.Next(100) < percent)
            {
                Emit(allActivations ? RandomActivation(random) : new RefRelu(), Main);
            }
        }

        /// <summary>
        /// Conv ("same"), maybe BatchNorm (folded into it), maybe Relu, maybe BatchNorm (a pass of its own); or, one
        /// time in eight, Relu and BatchNorm both of the conv's output, added (neither can fold into the conv).
        /// </summary>
        private bool ConvBlock()
        {
            int conv = Emit(RandomSameConv(Filters()), Main);
            if (convFamily && random.Next(8) == 0)
            {
                int relu = Emit(new RefRelu(), conv);
                Emit(new RefBatchNorm(), conv);
                MergeInto(new List<int> { Main }, new List<int> { relu }, names => new RefAdd(names));
                return true;
            }
            MaybeBatchNorm(25);
            MaybeRelu(60);
            MaybeBatchNorm(10);
            return true;
        }

        private void MaybeBatchNorm(int percent)
        {
            if (convFamily && random.Next(100) < percent)
            {
                Emit(random.Next(3) == 0 ? new RefBatchNorm { Epsilon = 1e-3f } : new RefBatchNorm(), Main);
            }
        }

        /// <summary>
        /// MobileNetV2's inverted residual: 1×1 expand (BatchNorm, ReLU6), depthwise 3×3 (BatchNorm, ReLU6),
        /// 1×1 project (BatchNorm), Add with the block's input.
        /// </summary>
        private bool InvertedResidualBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            int expanded = Math.Min(MaxGraphDepth, s.Depth * random.Next(2, 5));
            int expandFrom = SkipSource(x); // the expansion or the shortcut may read the tensor before x's ReLU, not both (x must stay live)
            Emit(new RefConv(1, 1, expanded), expandFrom);
            MaybeBatchNorm(70);
            Emit(new RefRelu6(), Main);
            int dilation = random.Next(4) == 0 ? 2 : 1;
            var depthwise = new RefConv(3, 3, expanded)
            {
                Groups = expanded,
                PadLeft = dilation, PadTop = dilation, PadRight = dilation, PadBottom = dilation,
                DilationX = dilation, DilationY = dilation,
            };
            Emit(random.Next(2) == 0 ? depthwise with { Attribute = $"[Conv(3, 3, {I(expanded)}, Padding = {I(dilation)}, Groups = {I(expanded)}{(dilation > 1 ? ", Dilation = 2" : "")})]" } : depthwise, Main);
            MaybeBatchNorm(70);
            Emit(new RefRelu6(), Main);
            Emit(new RefConv(1, 1, s.Depth), Main);
            MaybeBatchNorm(70);
            MergeInto(new List<int> { Main }, new List<int> { expandFrom == x ? SkipSource(x) : x }, names => new RefAdd(names));
            MaybeRelu(50);
            return true;
        }

        /// <summary>
        /// A U-Net step: 2×2 max pool, a "same" conv, a stride-2 transposed convolution back to the input's size
        /// (output padding 1 for odd sizes), Concat with the input.
        /// </summary>
        private bool UpStepBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            if (s.Width < 2 || s.Height < 2 || s.Width % 2 != s.Height % 2 || s.Depth >= MaxGraphDepth)
            {
                return false;
            }
            Emit(new RefPool(true, 2, 2, 2, 2), x);
            Emit(SameConv(3, 3, Filters()), Main);
            MaybeRelu(50);
            var up = new RefConvTranspose(2, 2, Filters(MaxGraphDepth - s.Depth)) { Stride = 2, OutputPadding = s.Width % 2 };
            if (s.Width % 2 == 0 && random.Next(2) == 0)
            {
                up = up with { KernelWidth = 3, KernelHeight = 3, Padding = 1, OutputPadding = 1 }; // (n/2 − 1)·2 − 2 + 2 + 1 + 1 = n
            }
            Emit(up, Main);
            MergeInto(new List<int> { Main }, new List<int> { SkipSource(x) }, names => new RefConcat(names));
            MaybeRelu(50);
            return true;
        }

        /// <summary>A stride-2 Conv, maybe Relu.</summary>
        private bool StridedBlock()
        {
            RefShape s = Shape(Main);
            if (s.Width < 2 || s.Height < 2)
            {
                return false;
            }
            Emit(random.Next(3) == 0 ? SameConv(1, 1, Filters(), stride: 2) : SameConv(3, 3, Filters(), stride: 2), Main);
            MaybeRelu(50);
            return true;
        }

        /// <summary>A downsampling pool (2×2 or 3×3 stride 2) or a 3×3 stride-1 average that keeps the size.</summary>
        private bool PoolBlock()
        {
            RefShape s = Shape(Main);
            if (s.Width < 2 || s.Height < 2)
            {
                return false;
            }
            bool max = random.Next(2) == 0;
            RefPool pool = random.Next(3) switch
            {
                0 => new RefPool(max, 2, 2, 2, 2),
                1 => new RefPool(max, 3, 3, 2, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
                _ => new RefPool(max, 3, 3, 1, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
            };
            Emit(pool, Main);
            return true;
        }

        /// <summary>
        /// Conv, maybe Relu, maybe Conv (all "same", keeping the channels), then Add with the block's input
        /// (or, when that is a Relu, sometimes the tensor before it) and sometimes another same-shape tensor; maybe Relu.
        /// </summary>
        private bool ResidualBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            int skip = SkipSource(x);
            Emit(RandomSameConv(s.Depth), x);
            if (random.Next(3) > 0)
            {
                MaybeRelu(70);
                Emit(RandomSameConv(s.Depth), Main);
            }
            int body = Main;
            var others = new List<int> { skip };
            int[] extra = Enumerable.Range(-1, Main + 1).Where(t => t != skip && t != body && Shape(t) == s).ToArray();
            if (extra.Length > 0 && random.Next(4) == 0)
            {
                others.Add(extra[random.Next(extra.Length)]);
            }
            MergeInto(new List<int> { body }, others, names => new RefAdd(names));
            MaybeRelu(50);
            return true;
        }

        /// <summary>
        /// What a block's shortcut reads: <paramref name="x"/>, or, two times in three when <paramref name="x"/> is a
        /// ReLU of a same-shape tensor, the tensor before the ReLU (read by both, so that ReLU cannot be folded).
        /// </summary>
        private int SkipSource(int x)
        {
            if (x >= 0 && IsElementWise(layers[x]) && network.InputIndices[x][0] is int before && Shape(before) == Shape(x) && random.Next(3) > 0)
            {
                return before;
            }
            return x;
        }

        /// <summary>
        /// A branch of one or two layers from an earlier tensor (the input, a named layer, a tensor
        /// before a ReLU, …) ending in a Conv of the main tensor's width and height, then Add (same
        /// channels) or Concat with the main tensor.
        /// </summary>
        private bool BranchBlock()
        {
            int main = Main;
            RefShape target = Shape(main);
            var candidates = new List<(int Source, RefLayer[] Ops)>();
            for (int t = -1; t <= main; t++)
            {
                foreach (RefLayer[] ops in BranchOps())
                {
                    if (Reaches(Shape(t), ops, target))
                    {
                        candidates.Add((t, ops));
                    }
                }
            }
            var earlier = candidates.Where(c => c.Source != main).ToList();
            var beforeRelu = earlier.Where(c => IsBeforeRelu(c.Source)).ToList(); // its ReLU stays a separate layer
            (int source, RefLayer[] chosen) = beforeRelu.Count > 0 && random.Next(3) == 0 ? beforeRelu[random.Next(beforeRelu.Count)]
                : earlier.Count > 0 && random.Next(5) > 0 ? earlier[random.Next(earlier.Count)]
                : candidates[random.Next(candidates.Count)]; // a same-size conv of the main tensor always fits
            bool add = target.Depth >= MaxGraphDepth || random.Next(3) == 0;
            int filters = add ? target.Depth : Filters(MaxGraphDepth - target.Depth);
            int end = source;
            foreach (RefLayer op in chosen)
            {
                end = Emit(op is RefConv c ? c with { Filters = filters } : op, end);
            }
            Func<string[], RefMerge> merge = add ? names => new RefAdd(names) : names => new RefConcat(names);
            if (random.Next(2) == 0)
            {
                MergeInto(new List<int> { end }, new List<int> { main }, merge);
            }
            else
            {
                MergeInto(new List<int> { main }, new List<int> { end }, merge);
            }
            return true;
        }

        /// <summary>Branch layer sequences (filters fixed later): a Conv, or a Conv or pool then a Conv; same size or about half.</summary>
        private IEnumerable<RefLayer[]> BranchOps()
        {
            RefConv[] convs =
            {
                new RefConv(1, 1, 1),
                new RefConv(3, 3, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
                new RefConv(3, 3, 1) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
                new RefConv(1, 1, 1) { StrideX = 2, StrideY = 2 },
            };
            RefLayer[] firsts = convs.Concat(new RefLayer[]
            {
                new RefPool(true, 2, 2, 2, 2),
                new RefPool(false, 3, 3, 2, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
            }).ToArray();
            foreach (RefConv conv in convs)
            {
                yield return new RefLayer[] { conv };
            }
            foreach (RefLayer first in firsts)
            {
                foreach (RefConv conv in convs)
                {
                    yield return new[] { first, conv };
                }
            }
        }

        /// <summary>Whether a Relu or other activation reads <paramref name="tensor"/> (so a second reader keeps it from being folded).</summary>
        private bool IsBeforeRelu(int tensor) =>
            Enumerable.Range(0, layers.Count).Any(i => IsElementWise(layers[i]) && network.InputIndices[i][0] == tensor);

        private static bool Reaches(RefShape shape, RefLayer[] ops, RefShape target)
        {
            try
            {
                foreach (RefLayer op in ops)
                {
                    shape = ReferenceNetwork.OutputShape(op, shape);
                }
                return shape.Width == target.Width && shape.Height == target.Height;
            }
            catch (ArgumentException)
            {
                return false; // a window that does not fit
            }
        }

        /// <summary>2 or 3 branches from the main tensor with different kernels, concatenated; maybe Relu.</summary>
        private bool InceptionBlock()
        {
            int x = Main;
            int count = random.Next(2, 4);
            int[] kinds = Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(count).ToArray();
            var ends = new List<int>();
            foreach (int kind in kinds)
            {
                int filters = Filters(MaxGraphDepth / count);
                int end = kind switch
                {
                    0 => Emit(SameConv(1, 1, filters), x),
                    1 => Emit(SameConv(3, 3, filters), x),
                    2 => Emit(SameConv(5, 5, filters), x),
                    3 => Emit(SameConv(3, 3, filters, dilation: 2), x),
                    4 => Emit(SameConv(1, 1, filters), Emit(new RefPool(true, 3, 3, 1, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, x)),
                    _ => Emit(SameConv(3, 3, filters), Emit(SameConv(1, 1, Filters(MaxGraphDepth / count)), x)),
                };
                ends.Add(end);
            }
            // The last branch's end is the previous layer (no From) or, as often, From names the first one.
            if (random.Next(2) == 0)
            {
                MergeInto(new List<int> { ends[^1] }, ends.Take(ends.Count - 1).ToList(), names => new RefConcat(names));
            }
            else
            {
                MergeInto(new List<int> { ends[0] }, ends.Skip(1).ToList(), names => new RefConcat(names));
            }
            MaybeRelu(30);
            return true;
        }

        /// <summary>AvgPool over the whole W×H (1×1×C), FullyConnected to C/r, Relu, FullyConnected to C, maybe a sigmoid gate, Mul with the W×H×C tensor.</summary>
        private bool SqueezeExciteBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            if (s.Depth < 2 || s.Width * s.Height < 2)
            {
                return false;
            }
            var squeeze = new RefPool(false, s.Width, s.Height, s.Width, s.Height);
            Emit(random.Next(2) == 0 ? squeeze with { Attribute = $"[AvgPool({I(s.Width)}, {I(s.Height)})]" } : squeeze, x);
            Emit(new RefFullyConnected(Math.Max(1, s.Depth / (random.Next(2) == 0 ? 2 : 4))), Main);
            Emit(new RefRelu(), Main);
            int gate = Emit(new RefFullyConnected(s.Depth), Main);
            if (allActivations && random.Next(3) > 0)
            {
                gate = Emit(random.Next(2) == 0 ? new RefSigmoid() : new RefHardSigmoid(), Main); // the gate (MobileNetV3 uses the hard one)
            }
            if (random.Next(2) == 0)
            {
                MergeInto(new List<int> { gate }, new List<int> { x }, names => new RefMul(names)); // 1×1×C input, W×H×C other
            }
            else
            {
                MergeInto(new List<int> { x }, new List<int> { gate }, names => new RefMul(names)); // W×H×C input, 1×1×C other
            }
            return true;
        }

        /// <summary>Emits the merge reading <paramref name="primary"/>[0] (From when not the previous layer) and naming <paramref name="others"/>.</summary>
        private void MergeInto(List<int> primary, List<int> others, Func<string[], RefMerge> create) =>
            Emit(create(others.Select(Ref).ToArray()), primary[0]);

        /// <summary>Maybe FullyConnected (maybe Relu, FullyConnected), maybe Softmax: only ever at the end.</summary>
        private void Head()
        {
            if (Shape(Main).Length <= 2048 && random.Next(3) == 0)
            {
                Emit(new RefFullyConnected(random.Next(1, 11)), Main);
                if (random.Next(4) == 0)
                {
                    Emit(new RefRelu(), Main);
                    Emit(new RefFullyConnected(random.Next(1, 11)), Main);
                }
            }
            if (random.Next(4) == 0)
            {
                Emit(allActivations && random.Next(3) == 0 ? new RefLogSoftmax() : new RefSoftmax(), Main);
            }
        }
    }
}
